import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AccountRef } from '../../core/fleet/model';
import type { AgentPlan } from '../../core/jumpbox/agentInstall';
import { AGENT_SCHEDULE_PATTERN, AGENT_STACK_NAME, AGENT_VERSION, HOLIDAYS_PARAMETER } from '../../core/jumpbox/agentStack';
import { AGENT_TAGS } from '../../core/jumpbox/agentTags';
import { parseSchedule } from '../../core/jumpbox/schedule';
import type { AgentTarget } from '../../core/jumpbox/scheduler';
import type { AwsSession } from '../../core/session/session';
import { confirmDetail } from '../../plumbing/actingAs';
import { registerCommand, type FeatureDeps } from '../../plumbing/commands';
import { changeSetDetail, followStack, stackErrorText } from '../../plumbing/stackChanges';
import type { TreeNode } from '../../plumbing/treeNode';
import { agentRefOf } from './agentModel';
import type { JumpboxesController } from './controller';
import type { JumpboxView } from './model';
import { readJumpboxSettings } from './settings';

export const INSTALL = 'Install';
export const UPDATE = 'Update';
export const REMOVE = 'Remove';

/** The free tier covers a few jumpboxes many times over; said in the review so nobody has to look it up. */
const COST = 'Cost: Lambda runs a few seconds per start or stop (free tier: 1M requests and 400,000 GB-s a month); EC2 state-change events are free; Scheduler has 14M free invocations a month; logs are kept 14 days.';

export function registerAgentCommands(deps: FeatureDeps, controller: JumpboxesController): void {
  const commands = new AgentCommands(deps, controller);
  registerCommand(deps, 'awsops.installJumpboxAgent', (node) => commands.deploy(node));
  registerCommand(deps, 'awsops.updateJumpboxAgent', (node) => commands.deploy(node));
  registerCommand(deps, 'awsops.removeJumpboxAgent', (node) => commands.remove(node));
}

class AgentCommands {
  constructor(
    private readonly deps: FeatureDeps,
    private readonly controller: JumpboxesController,
  ) {}

  private get host() {
    return this.deps.host();
  }

  /** Install or update: change set → review → execute; then the region's applied schedules go through the agent. */
  async deploy(node?: TreeNode): Promise<void> {
    // The applied schedules to point at the agent come from the view's facts.
    if (!this.controller.loaded) await this.controller.refresh();
    const place = await this.place(node, 'Install or Update the Jumpbox Agent');
    if (!place) return;
    const { region, account } = place;
    const { aws } = this.deps.context;
    const session = await this.session(region, account);
    const { dnsZones, holidays } = readJumpboxSettings();
    const jumpboxTagKey = this.deps.context.settings().jumpboxTagKey;
    const code = readFileSync(join(this.deps.extension.extensionPath, 'dist', 'agent.js'), 'utf8');
    let plan: AgentPlan;
    try {
      plan = await this.host.withProgress(`AWS Ops: Preparing the change set of the jumpbox agent in ${region}`, () => aws.planAgent(session, { code, jumpboxTagKey, dnsZones }));
    } catch (error) {
      return void (await this.host.error(`The jumpbox agent in ${region} was not changed: ${stackErrorText(aws, error)}`));
    }
    const verb = plan.type === 'CREATE' ? INSTALL : UPDATE;
    const detail = await confirmDetail(this.deps.context, region, [...reviewLines(plan, jumpboxTagKey), '', changeSetDetail(plan.changes)].join('\n'), account);
    if ((await this.host.confirm(`${verb} the jumpbox agent v${AGENT_VERSION} in ${region} (stack ${AGENT_STACK_NAME})?`, detail, verb)) !== verb) {
      await this.host.withProgress('AWS Ops: Discarding the change set of the jumpbox agent', () => aws.discardAgentPlan(session, plan));
      return void (await this.host.info(`Nothing was changed: the change set of ${AGENT_STACK_NAME} in ${region} is discarded.`));
    }
    let result;
    try {
      result = await followStack(this.host, `AWS Ops: ${verb === INSTALL ? 'Installing' : 'Updating'} the jumpbox agent in ${region}`, plan.changes.length, (options) =>
        aws.deployAgent(session, plan, holidays, options),
      );
    } catch (error) {
      return void (await this.host.error(`The jumpbox agent in ${region} failed: ${stackErrorText(aws, error)}`));
    }
    if (!result) return void (await this.host.warn(`Stopped following stack ${AGENT_STACK_NAME} in ${region}; CloudFormation carries on. Refresh to see the agent.`));
    if (!result.ok) {
      const why = result.failure ? `${result.failure.logicalId} (${result.failure.resourceType}): ${result.failure.reason}` : `the stack ended ${result.status}`;
      await this.controller.refresh();
      return void (await this.host.error(`The jumpbox agent was not ${verb === INSTALL ? 'installed' : 'updated'} in ${region}: ${why}.`));
    }
    const status = await aws.readAgentStatus(session);
    const moved = status.functionArn && status.schedulerRoleArn ? await this.routeSchedules(session, place, { functionArn: status.functionArn, schedulerRoleArn: status.schedulerRoleArn }) : 0;
    await this.controller.refresh();
    const schedules = moved ? ` ${moved} work-hours schedule${moved === 1 ? '' : 's'} now go${moved === 1 ? 'es' : ''} through it.` : '';
    await this.host.info(`Jumpbox agent v${AGENT_VERSION} is ${verb === INSTALL ? 'installed' : 'updated'} in ${region}: DNS records follow every start and stop, and scheduled starts skip holidays and overrides.${schedules}`);
  }

  /** Points the applied schedules of the region's jumpboxes at the agent (or, without one, straight at EC2 again). */
  private async routeSchedules(session: AwsSession, place: Place, agent: AgentTarget | undefined): Promise<number> {
    const applied = this.jumpboxesIn(place).filter((view) => view.scheduler.ok && view.scheduler.state.status !== 'absent');
    let moved = 0;
    for (const view of applied) {
      const parsed = view.jumpbox.scheduleText === undefined ? undefined : parseSchedule(view.jumpbox.scheduleText);
      if (!parsed?.ok) continue;
      await this.deps.context.aws.applyJumpboxSchedule(session, view.jumpbox.instanceId, parsed.schedule, { agent });
      moved++;
    }
    return moved;
  }

  async remove(node?: TreeNode): Promise<void> {
    const place = await this.place(node, 'Remove the Jumpbox Agent');
    if (!place) return;
    const { region, account } = place;
    const detail = await confirmDetail(this.deps.context, region, [
      `Deletes stack ${AGENT_STACK_NAME} (the function, its EventBridge rule, log group and roles) and SSM parameter ${HOLIDAYS_PARAMETER}.`,
      'Work-hours schedules that go through it are pointed straight at EC2 again (holidays and overrides then no longer apply), and overrides are cleared.',
      'Afterwards DNS records follow only the starts and stops made from VS Code.',
    ].join('\n'), account);
    if ((await this.host.confirm(`Remove the jumpbox agent from ${region}?`, detail, REMOVE)) !== REMOVE) return;
    const { aws } = this.deps.context;
    const session = await this.session(region, account);
    // What is applied now, not at the last refresh: no schedule may be left calling a function that is gone.
    await this.controller.refresh();
    const overridden = this.overridden(place);
    let deletion;
    try {
      await this.host.withProgress(`AWS Ops: Pointing the schedules in ${region} straight at EC2`, async () => {
        await this.routeSchedules(session, place, undefined);
        for (const view of overridden) await aws.clearOverride(session, view.jumpbox.instanceId);
      });
      deletion = await followStack(this.host, `AWS Ops: Removing the jumpbox agent from ${region}`, 0, (options) => aws.removeAgent(session, options));
    } catch (error) {
      return void (await this.host.error(`Removing the jumpbox agent from ${region} failed: ${stackErrorText(aws, error)}`));
    }
    await this.controller.refresh();
    if (deletion === undefined) return void (await this.host.info(`There is no jumpbox agent in ${region}: nothing to remove.`));
    if (deletion.outcome === 'deleted') return void (await this.host.info(`The jumpbox agent is removed from ${region}.`));
    if (deletion.outcome === 'cancelled') return void (await this.host.warn(`Stopped following the removal of ${AGENT_STACK_NAME} in ${region}; CloudFormation carries on.`));
    await this.host.error(`Stack ${AGENT_STACK_NAME} in ${region} was not deleted (${deletion.finalStatus ?? 'unknown status'}): see its events in the CloudFormation console.`);
  }

  private overridden(place: Place): JumpboxView[] {
    return this.jumpboxesIn(place).filter((view) => view.jumpbox.tags[AGENT_TAGS.override] !== undefined);
  }

  private jumpboxesIn({ region, account }: Place): JumpboxView[] {
    return this.controller.jumpboxes.filter((view) => view.jumpbox.region === region && view.jumpbox.account?.accountId === account?.accountId);
  }

  private async session(region: string, account?: AccountRef): Promise<AwsSession> {
    return this.deps.context.pool.get(await this.controller.spec(region, account));
  }

  /** The agent row's region and account; from the palette, a region of the single profile (a fleet needs the row). */
  private async place(node: TreeNode | undefined, title: string): Promise<Place | undefined> {
    const ref = agentRefOf(node);
    if (ref) return { region: ref.region, account: node?.account };
    if (this.deps.context.fleetSource()) {
      return void (await this.host.info(`Several accounts are shown: run "${title}" from the agent row under the account and region it is for.`));
    }
    const region = await this.pickRegion(title);
    return region ? { region } : undefined;
  }

  private async pickRegion(title: string): Promise<string | undefined> {
    const { specs } = await this.deps.context.targets();
    if (specs.length === 1) return specs[0].region;
    const items = specs.map((spec) => {
      const agent = this.controller.agent(spec.region);
      return { label: spec.region, description: agent?.ok ? (agent.status.installed ? `agent v${agent.status.version} installed` : 'no agent') : undefined };
    });
    return (await this.host.showQuickPick(items, { title: `AWS Ops: ${title}`, placeHolder: 'The region' }))?.label;
  }
}

/** Where an agent is: its region, and its account when several are shown. */
interface Place {
  region: string;
  account?: AccountRef;
}

/** What the agent may do, in words, above the change set. */
function reviewLines(plan: AgentPlan, jumpboxTagKey: string): string[] {
  const listed = plan.zones.map((zone) => `${zone.name} (${zone.id})`).join(', ');
  const zones = plan.zones.length ? `only in hosted zone${plan.zones.length === 1 ? '' : 's'} ${listed}` : 'in no zone (setting awsops.dnsZones lists none it can see)';
  return [
    `A Lambda function (Node.js 22) that EventBridge calls when an instance in ${plan.region} starts or stops; it acts only on instances tagged ${jumpboxTagKey}.`,
    `It may start and stop only instances tagged ${jumpboxTagKey}, tag them only with ${AGENT_TAGS.lastAction} and ${AGENT_TAGS.lastError} (and remove an ended ${AGENT_TAGS.override}), and change A and TXT records ${zones}; never a record it does not own.`,
    ...(plan.unmatchedZones.length ? [`Not found in this account: ${plan.unmatchedZones.join(', ')} (from awsops.dnsZones).`] : []),
    `EventBridge Scheduler may invoke it only from AWS Ops' schedules of this account (${AGENT_SCHEDULE_PATTERN}); the work-hours schedules already applied here are pointed at it.`,
    `Holidays (setting awsops.holidays) go to SSM parameter ${HOLIDAYS_PARAMETER}.`,
    COST,
  ];
}

/** Keeps the holidays the agents read in step with the setting. */
export function syncHolidaysOnChange(deps: FeatureDeps, controller: JumpboxesController): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (!event.affectsConfiguration('awsops.holidays')) return;
    const { holidays } = readJumpboxSettings();
    for (const { region, account } of controller.agentRegions) {
      try {
        await deps.context.aws.writeHolidays(deps.context.pool.get(await controller.spec(region, account)), holidays);
      } catch (error) {
        deps.log.error(`Could not write the holidays for the jumpbox agent in ${region}: ${deps.context.aws.explainError(error).message}`);
      }
    }
  });
}
