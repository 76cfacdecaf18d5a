import * as vscode from 'vscode';
import { describeOverride, utcText, type Override } from '../../core/jumpbox/agentTags';
import { jumpboxLabel } from '../../core/jumpbox/model';
import { parseSchedule } from '../../core/jumpbox/schedule';
import { upcomingActions } from '../../core/jumpbox/upcoming';
import { parseUntil } from '../../core/jumpbox/untilTime';
import { registerCommand, type FeatureDeps } from '../../plumbing/commands';
import type { TreeNode } from '../../plumbing/treeNode';
import type { AgentRef } from './agentModel';
import type { JumpboxesController } from './controller';
import { jumpboxRefFor, jumpboxRefOf, type JumpboxRef } from './model';
import { readJumpboxSettings } from './settings';

export const INSTALL_AGENT = 'Install Jumpbox Agent…';

const TITLES: Record<Override['kind'], string> = { running: 'Keep Running', stopped: 'Keep Stopped' };

export function registerOverrideCommands(deps: FeatureDeps, controller: JumpboxesController): void {
  const commands = new OverrideCommands(deps, controller);
  registerCommand(deps, 'awsops.keepJumpboxRunningUntil', (node) => commands.keep('running', node));
  registerCommand(deps, 'awsops.keepJumpboxStoppedUntil', (node) => commands.keep('stopped', node));
  registerCommand(deps, 'awsops.clearJumpboxOverride', (node) => commands.clear(node));
}

class OverrideCommands {
  constructor(
    private readonly deps: FeatureDeps,
    private readonly controller: JumpboxesController,
  ) {}

  private get host() {
    return this.deps.host();
  }

  /** Asks until when, shows which scheduled actions it holds off and what happens at its end, then sets it. */
  async keep(kind: Override['kind'], node?: TreeNode): Promise<void> {
    const ref = await this.jumpboxWithAgent(node, `${TITLES[kind]} Until…`);
    if (!ref) return;
    const { view, agent } = ref;
    const label = jumpboxLabel(view.jumpbox);
    const parsed = view.jumpbox.scheduleText === undefined ? undefined : parseSchedule(view.jumpbox.scheduleText);
    const schedule = parsed?.ok ? parsed.schedule : undefined;
    const timeZone = schedule?.timeZone ?? 'UTC';
    const now = new Date();
    const text = await this.host.showInputBox({
      title: `AWS Ops: ${TITLES[kind]} ${label} Until…`,
      prompt: `Until when (${timeZone})? e.g. 21:00 (today), tomorrow 09:00, 2026-12-24 09:00. Scheduled ${kind === 'running' ? 'stops' : 'starts'} until then are skipped.`,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const result = parseUntil(value, new Date(), timeZone);
        return result.ok ? undefined : result.error;
      },
    });
    if (text === undefined) return;
    const until = parseUntil(text, new Date(), timeZone);
    if (!until.ok) return void (await this.host.error(until.error));
    const override: Override = { kind, until: until.until };
    const actions = upcomingActions(schedule, now, { holidays: new Set(readJumpboxSettings().holidays), override, count: 8 }).filter((a) => a.at <= override.until);
    const detail = [
      ...actions.map((a) => `${a.at.toISOString().slice(0, 16).replace('T', ' ')} UTC ${a.kind}${a.skipped ? ' · skipped' : a.cause === 'override-end' ? ' · at the end, as the work hours call for' : ''}`),
      actions.length ? '' : `No scheduled action falls before ${utcText(override.until)}.`,
      `Tag awsops:override on ${view.jumpbox.instanceId}, and a one-time Scheduler schedule that calls the jumpbox agent at the end (then deleted).`,
      stateNote(kind, view.jumpbox.state),
    ].filter(Boolean).join('\n');
    const confirm = TITLES[kind];
    if ((await this.host.confirm(`${describeOverride(override).replace(/^k/, 'K')} for ${label}?`, detail, confirm)) !== confirm) return;
    const { aws, pool } = this.deps.context;
    const session = pool.get(await this.controller.spec(view.jumpbox.region, view.jumpbox.account));
    const written = await this.host.withProgress(`AWS Ops: ${TITLES[kind]} ${label}`, () => aws.setOverride(session, view.jumpbox.instanceId, override, agent));
    await this.controller.refresh();
    if (written?.kind !== kind || written.until.getTime() !== override.until.getTime()) {
      return void (await this.host.error(`${label}: the override was written, but reading it back gives ${written ? describeOverride(written) : 'none'}.`));
    }
    await this.host.info(`${label}: ${describeOverride(override)}. ${stateNote(kind, view.jumpbox.state)}`.trim());
  }

  async clear(node?: TreeNode): Promise<void> {
    const ref = await this.jumpboxWithAgent(node, 'Clear Override');
    if (!ref) return;
    const label = jumpboxLabel(ref.view.jumpbox);
    const session = this.deps.context.pool.get(await this.controller.spec(ref.view.jumpbox.region, ref.view.jumpbox.account));
    await this.host.withProgress(`AWS Ops: Clearing the override of ${label}`, () => this.deps.context.aws.clearOverride(session, ref.view.jumpbox.instanceId));
    await this.controller.refresh();
    await this.host.info(`${label}: override cleared; the work hours apply again.`);
  }

  /** The jumpbox (clicked or picked) and its region's agent; without an agent, offers to install it. */
  private async jumpboxWithAgent(node: TreeNode | undefined, title: string) {
    if (!this.controller.loaded) await this.controller.refresh();
    const ref: JumpboxRef | undefined = jumpboxRefOf(node) ?? (await this.pick(title));
    const view = ref && this.controller.find(ref);
    if (!view) return undefined;
    const agent = this.controller.agent(view.jumpbox.region, view.jumpbox.account);
    if (agent?.ok && agent.status.installed && agent.status.functionArn && agent.status.schedulerRoleArn) {
      return { view, agent: { functionArn: agent.status.functionArn, schedulerRoleArn: agent.status.schedulerRoleArn } };
    }
    const choice = await this.host.error(`${title.replace('…', '')} needs the jumpbox agent in ${view.jumpbox.region}: it is what skips the scheduled actions in AWS.`, INSTALL_AGENT);
    const region = view.jumpbox.region;
    if (choice === INSTALL_AGENT) await vscode.commands.executeCommand('awsops.installJumpboxAgent', { id: `jumpboxAgent:${region}`, label: region, data: { kind: 'jumpboxAgent', region } satisfies AgentRef });
    return undefined;
  }

  private async pick(title: string): Promise<JumpboxRef | undefined> {
    const items = this.controller.jumpboxes.map(({ jumpbox }) => ({ label: jumpbox.name ?? jumpbox.instanceId, description: [jumpbox.state, jumpbox.region].join(' · '), ref: jumpboxRefFor(jumpbox) }));
    return (await this.host.showQuickPick(items, { title: `AWS Ops: ${title}`, placeHolder: 'Pick a jumpbox' }))?.ref;
  }
}

function stateNote(kind: Override['kind'], state: string): string {
  if (kind === 'running' && state !== 'running') return `It is ${state} now: Start Jumpbox runs it.`;
  if (kind === 'stopped' && state === 'running') return 'It is running now: Stop Jumpbox stops it.';
  return '';
}
