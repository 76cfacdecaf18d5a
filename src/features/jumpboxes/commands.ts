import type { AccountRef } from '../../core/fleet/model';
import { ownership, ownershipRecordName } from '../../core/jumpbox/dnsOwnership';
import type { TakeoverQuestion } from '../../core/jumpbox/dnsFollow';
import type { JumpboxActionOptions, JumpboxOutcome } from '../../core/jumpbox/startStop';
import { SCHEDULER_ROLE_PATH, scheduleName, schedulerRoleName } from '../../core/jumpbox/names';
import { JUMPBOX_TAGS, jumpboxLabel } from '../../core/jumpbox/model';
import { formatSchedule, parseSchedule, SCHEDULE_EXAMPLE, toCron, type WorkSchedule } from '../../core/jumpbox/schedule';
import { sshUserProblem } from '../../core/jumpbox/ssh';
import { confirmDetail } from '../../plumbing/actingAs';
import { registerMutatingCommand, type FeatureDeps } from '../../plumbing/commands';
import type { Host } from '../../plumbing/host';
import type { TreeNode } from '../../plumbing/treeNode';
import type { JumpboxesController } from './controller';
import { dnsFix, jumpboxRefFor, jumpboxRefOf, type JumpboxRef, type JumpboxView } from './model';
import { readJumpboxSettings } from './settings';

export const COPY_SSH = 'Copy SSH command';
export const KEEP_RECORD = 'Keep Current Record';
export const REPLACE_RECORD = 'Replace Record';
const GONE = new Set(['shutting-down', 'terminated']);

export function registerJumpboxCommands(deps: FeatureDeps, controller: JumpboxesController): void {
  const commands = new JumpboxCommands(deps, controller);
  registerMutatingCommand(deps, 'awsops.startJumpbox', (node, nodes) => commands.startOrStop('start', node, nodes));
  registerMutatingCommand(deps, 'awsops.stopJumpbox', (node, nodes) => commands.startOrStop('stop', node, nodes));
  registerMutatingCommand(deps, 'awsops.syncJumpboxDns', (node) => commands.syncDns(node));
  registerMutatingCommand(deps, 'awsops.applySchedule', (node) => commands.applySchedule(node));
}

type Action = 'start' | 'stop';

const VERBS: Record<Action, { title: string; progress: string; wanted: string }> = {
  start: { title: 'Start', progress: 'Starting', wanted: 'stopped' },
  stop: { title: 'Stop', progress: 'Stopping', wanted: 'running' },
};

class JumpboxCommands {
  constructor(
    private readonly deps: FeatureDeps,
    private readonly controller: JumpboxesController,
  ) {}

  private get host(): Host {
    return this.deps.host();
  }

  /** Start or stop the selected rows (or the clicked one), else those picked from a list. */
  async startOrStop(action: Action, node?: TreeNode, nodes?: TreeNode[]): Promise<void> {
    const verb = VERBS[action];
    // The offered SSH command is pasted into a shell: a setting that is not a user name stops the start up front.
    const sshProblem = action === 'start' ? sshUserProblem(readJumpboxSettings().sshUser) : undefined;
    if (sshProblem) return void (await this.host.error(`${sshProblem} Nothing was started.`));
    const refs = fromSelection(node, nodes) ?? (await this.pickMany(verb.title, verb.wanted));
    if (!refs?.length) return;
    const names = refs.length === 1 ? jumpboxLabel(refs[0]) : `${refs.length} jumpboxes`;
    // A stop is confirmed unless every box is known to be stopped already (then it is a no-op with a message).
    if (action === 'stop' && refs.some((r) => r.state !== 'stopped' && !GONE.has(r.state))) {
      const detail = `${refs.map((r) => `• ${jumpboxLabel(r)}: ${r.state} in ${r.region}`).join('\n')}\n\nSessions on them end. Their public IPs are released, so the DNS records AWS Ops manages for them are deleted; the next start writes them again.`;
      const where = await confirmDetail(this.deps.context, refs.map((r) => r.region), detail, oneAccount(refs));
      if ((await this.host.confirm(`Stop ${names}?`, where, 'Stop')) !== 'Stop') return;
    }
    const { aws, pool } = this.deps.context;
    const outcomes = await this.host.withProgress(`AWS Ops: ${verb.progress} ${names}`, async (report, token) => {
      const run = action === 'start' ? aws.startJumpboxes : aws.stopJumpboxes;
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const perRegion = await Promise.all(
        [...groupByPlace(refs)].map(async ({ region, account, ids }) => run(pool.get(await this.controller.spec(region, account)), ids, this.actionOptions(region, report, abort.signal))),
      );
      return perRegion.flat();
    });
    await this.controller.refresh();
    await Promise.all(outcomes.map((outcome) => this.report(outcome, action)));
  }

  /** One message per jumpbox; a successful start shows the ssh command and offers to copy it. */
  private async report(outcome: JumpboxOutcome, action: Action): Promise<void> {
    if (outcome.kind === 'failed') return void (await this.host.error(outcome.message));
    if (outcome.kind === 'refused' || outcome.kind === 'cancelled') return void (await this.host.warn(outcome.message));
    const ssh = action === 'start' ? outcome.sshCommand : undefined;
    const actions = ssh ? [COPY_SSH] : [];
    // What would be copied is shown first: it goes into a shell.
    const message = ssh ? `${outcome.message} SSH: ${ssh}` : outcome.message;
    // The instance is up either way; a DNS record left behind deserves a warning, not an error.
    const chosen = await (outcome.dns?.ok === false ? this.host.warn(message, ...actions) : this.host.info(message, ...actions));
    if (chosen === COPY_SSH && outcome.sshCommand) await this.host.copyToClipboard(outcome.sshCommand);
  }

  /** The one-click fix on a stale DNS row: the A record follows the current public IP. */
  async syncDns(node?: TreeNode): Promise<void> {
    const ref = jumpboxRefOf(node) ?? (await this.pickOne('Update DNS Record', (j) => j.jumpbox.dnsName !== undefined, needsDnsFix));
    if (!ref) return;
    const label = jumpboxLabel(ref);
    const session = this.deps.context.pool.get(await this.controller.spec(ref.region, ref.account));
    const update = await this.host.withProgress(`AWS Ops: Updating the DNS record of ${label}`, (report) =>
      this.deps.context.aws.syncJumpboxDns(session, ref.instanceId, this.actionOptions(ref.region, report)),
    );
    await this.controller.refresh();
    if (!update.ok) return void (await this.host.error(`${label}: DNS not updated: ${update.message}`));
    if ('deletedIps' in update) return void (await this.host.info(`${update.name} deleted: it pointed at ${update.deletedIps.join(', ')}, which ${label} released.`));
    await this.host.info(update.changed ? `${update.name} → ${update.ip} (TTL 60): Route53 is in sync.` : `${update.name} already points at ${update.ip}.`);
  }

  private actionOptions(region: string, report: (message: string) => void, signal?: AbortSignal): JumpboxActionOptions {
    const { sshUser, dnsZones } = readJumpboxSettings();
    return { sshUser, dnsZones, signal, onProgress: (_id, message) => report(message), confirmTakeover: (question) => this.confirmTakeover(region, question) };
  }

  /** A modal for a record AWS Ops does not own; its first (default) button keeps the record, so Enter changes nothing. */
  private async confirmTakeover(region: string, q: TakeoverQuestion): Promise<boolean> {
    const lines = [
      `${q.name} in hosted zone ${q.zone.name} (${q.zone.id}) is ${ownership(q.owner)}.`,
      `Now: ${q.currentIps.length ? `A ${q.currentIps.join(', ')}` : `no A record (TXT ${ownershipRecordName(q.name)} claims it)`}`,
      `New: A ${q.newIp} (TTL 60), owned by ${q.label} through TXT ${ownershipRecordName(q.name)}`,
      'Whatever the name serves now would stop working.',
    ];
    const detail = await confirmDetail(this.deps.context, region, lines.join('\n'));
    return (await this.host.confirm(`${q.name} is ${ownership(q.owner)}. Point it at ${q.label}?`, detail, KEEP_RECORD, REPLACE_RECORD)) === REPLACE_RECORD;
  }

  /** Apply the schedule of tag awsops:schedule in EventBridge Scheduler, or remove it there. */
  async applySchedule(node?: TreeNode): Promise<void> {
    const picked = jumpboxRefOf(node) ?? (await this.pickOne('Apply Work-Hours Schedule', () => true, (j) => j.jumpbox.scheduleText !== undefined));
    if (!picked) return;
    // The tag may have been edited since the last refresh: act on what it says now.
    await this.controller.refresh();
    const view = this.controller.find(picked);
    const label = jumpboxLabel(picked);
    if (!view) return void (await this.host.error(`${label} is no longer a jumpbox in ${picked.region}: its ${this.deps.context.settings().jumpboxTagKey} tag or the instance is gone.`));
    const text = view.jumpbox.scheduleText;
    const parsed = text === undefined ? undefined : parseSchedule(text);
    const choice = await this.host.showQuickPick(
      [
        { label: 'Apply', description: parsed?.ok ? formatSchedule(parsed.schedule) : `tag ${JUMPBOX_TAGS.schedule} ${text === undefined ? 'missing' : 'unreadable'}`, detail: 'Create or update the EventBridge Scheduler schedules and the IAM role they assume' },
        { label: 'Remove', description: view.scheduler.ok ? view.scheduler.state.message : undefined, detail: 'Delete the schedules and the role; the instance stays as it is' },
      ],
      { title: `AWS Ops: Work-Hours Schedule of ${label}` },
    );
    if (choice?.label === 'Apply') {
      if (!parsed) return void (await this.host.error(`${label} has no ${JUMPBOX_TAGS.schedule} tag: add one such as "${SCHEDULE_EXAMPLE}", then apply.`));
      if (!parsed.ok) return void (await this.host.error(`Tag ${JUMPBOX_TAGS.schedule} of ${label} is "${text}": ${parsed.error}`));
      await this.apply(picked, label, parsed.schedule);
    } else if (choice?.label === 'Remove') {
      await this.remove(picked, label);
    }
  }

  private async apply(ref: JumpboxRef, label: string, schedule: WorkSchedule): Promise<void> {
    const { aws, pool } = this.deps.context;
    const cron = toCron(schedule);
    const agent = this.controller.agent(ref.region);
    const via = agent?.ok && agent.status.installed && agent.status.functionArn && agent.status.schedulerRoleArn
      ? { functionArn: agent.status.functionArn, schedulerRoleArn: agent.status.schedulerRoleArn }
      : undefined;
    const detail = [
      via
        ? `Through the jumpbox agent of ${ref.region} (${via.functionArn}): it skips starts on holidays (awsops.holidays) and honours Keep Running/Stopped Until….`
        : `IAM role ${SCHEDULER_ROLE_PATH}${schedulerRoleName(ref.instanceId)}: EventBridge Scheduler may assume it to start and stop ${ref.instanceId} only.`,
      `Schedule ${scheduleName(ref.instanceId, 'start')}: ${cron.start} in ${schedule.timeZone}.`,
      `Schedule ${scheduleName(ref.instanceId, 'stop')}: ${cron.stop} in ${schedule.timeZone}.`,
      via ? 'Existing ones are updated to match.' : 'Existing ones are updated to match. Holidays (awsops.holidays) only change the cost estimate: AWS runs the schedule on them too (Install Jumpbox Agent… changes that).',
    ].join('\n');
    const where = await confirmDetail(this.deps.context, ref.region, detail);
    if ((await this.host.confirm(`Apply "${formatSchedule(schedule)}" to ${label}?`, where, 'Apply')) !== 'Apply') return;
    const session = pool.get(await this.controller.spec(ref.region, ref.account));
    const result = await this.host.withProgress(`AWS Ops: Applying the schedule of ${label}`, (report) =>
      aws.applyJumpboxSchedule(session, ref.instanceId, schedule, { agent: via, onProgress: (message) => report(message) }),
    );
    await this.controller.refresh();
    const role = result.role === 'not needed' ? 'through the jumpbox agent' : `role ${result.role}`;
    await this.host.info(`Schedule "${formatSchedule(schedule)}" of ${label}: ${role}, start schedule ${result.start}, stop schedule ${result.stop}.`);
  }

  private async remove(ref: JumpboxRef, label: string): Promise<void> {
    const { aws, pool } = this.deps.context;
    const names = [scheduleName(ref.instanceId, 'start'), scheduleName(ref.instanceId, 'stop')];
    const role = schedulerRoleName(ref.instanceId);
    const detail = `Deletes schedules ${names.join(' and ')} and IAM role ${role} where they exist. The instance stays in its current state and keeps its ${JUMPBOX_TAGS.schedule} tag.`;
    const where = await confirmDetail(this.deps.context, ref.region, detail);
    if ((await this.host.confirm(`Remove the work-hours schedule of ${label} from AWS?`, where, 'Remove')) !== 'Remove') return;
    const session = pool.get(await this.controller.spec(ref.region, ref.account));
    const result = await this.host.withProgress(`AWS Ops: Removing the schedule of ${label}`, (report) =>
      aws.removeJumpboxSchedule(session, ref.instanceId, { onProgress: (message) => report(message) }),
    );
    await this.controller.refresh();
    const deleted = [...result.deletedSchedules.map((name) => `schedule ${name}`), ...(result.roleDeleted ? [`role ${role}`] : [])];
    await this.host.info(deleted.length ? `Removed from ${label}: ${deleted.join(', ')}.` : `${label} had no schedule in AWS: nothing to remove.`);
  }

  /** The jumpboxes of the last refresh (refreshing first when there was none), those in `wanted` state first. */
  private async pickMany(title: string, wanted: string): Promise<JumpboxRef[] | undefined> {
    const items = await this.items((view) => view.jumpbox.state === wanted);
    if (!items) return undefined;
    const picked = await this.host.showQuickPick(items, { title: `AWS Ops: ${title} Jumpboxes`, placeHolder: 'Pick one or more jumpboxes', canPickMany: true, matchOnDescription: true });
    return picked?.map((item) => item.ref);
  }

  private async pickOne(title: string, include: (view: JumpboxView) => boolean, first: (view: JumpboxView) => boolean): Promise<JumpboxRef | undefined> {
    const items = await this.items(first, include);
    if (!items) return undefined;
    const picked = await this.host.showQuickPick(items, { title: `AWS Ops: ${title}`, placeHolder: 'Pick a jumpbox', matchOnDescription: true });
    return picked?.ref;
  }

  private async items(first: (view: JumpboxView) => boolean, include: (view: JumpboxView) => boolean = () => true) {
    if (!this.controller.loaded) await this.controller.refresh();
    const views = this.controller.jumpboxes.filter(include);
    if (views.length === 0) {
      await this.host.info(`No jumpboxes found: tag an instance with ${this.deps.context.settings().jumpboxTagKey} in one of the chosen regions, then refresh.`);
      return undefined;
    }
    const ordered = [...views.filter(first), ...views.filter((view) => !first(view))];
    return ordered.map(({ jumpbox }) => ({
      label: jumpbox.name ?? jumpbox.instanceId,
      description: [jumpbox.state, jumpbox.instanceType, jumpbox.publicIp, jumpbox.region].filter(Boolean).join(' · '),
      detail: jumpbox.name ? jumpbox.instanceId : undefined,
      ref: jumpboxRefFor(jumpbox),
    }));
  }
}

function needsDnsFix(view: JumpboxView): boolean {
  return dnsFix(view.dns) !== undefined;
}

/** The rows a command was invoked on: the whole selection when the clicked row is part of it. */
function fromSelection(node: TreeNode | undefined, nodes: TreeNode[] | undefined): JumpboxRef[] | undefined {
  const rows = node && nodes?.some((n) => n.id === node.id) ? nodes : node ? [node] : [];
  const refs = rows.map(jumpboxRefOf).filter((ref): ref is JumpboxRef => ref !== undefined);
  const unique = [...new Map(refs.map((ref) => [`${ref.region}/${ref.instanceId}`, ref])).values()];
  return unique.length ? unique : undefined;
}

/** The jumpboxes by region and account: one call per place, signed in as its account. */
function groupByPlace(refs: readonly JumpboxRef[]): Array<{ region: string; account?: AccountRef; ids: string[] }> {
  const groups = new Map<string, { region: string; account?: AccountRef; ids: string[] }>();
  for (const ref of refs) {
    const key = `${ref.account?.accountId ?? ''}|${ref.region}`;
    const group = groups.get(key) ?? { region: ref.region, account: ref.account, ids: [] };
    group.ids.push(ref.instanceId);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The account all `refs` are in, for the confirmation to name; none when they span several (or none is set). */
function oneAccount(refs: readonly JumpboxRef[]): AccountRef | undefined {
  const ids = new Set(refs.map((r) => r.account?.accountId));
  return ids.size === 1 ? refs[0].account : undefined;
}
