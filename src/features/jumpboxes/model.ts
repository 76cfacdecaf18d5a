import type { AccountRef } from '../../core/fleet/model';
import { describeCustodian, parseCustodianTag } from '../../core/jumpbox/custodian';
import type { DnsCheck } from '../../core/jumpbox/dns';
import { ownership } from '../../core/jumpbox/dnsOwnership';
import { JUMPBOX_TAGS, jumpboxLabel, type JumpboxInfo } from '../../core/jumpbox/model';
import type { ResolvedPrice } from '../../core/jumpbox/pricing';
import { describeMonthlyCost, formatUsd, holidayProblem, monthHours, monthlyCost } from '../../core/jumpbox/savings';
import { formatMinute, formatSchedule, nextTransitions, parseSchedule, SCHEDULE_EXAMPLE, type WorkSchedule } from '../../core/jumpbox/schedule';
import { scheduleName } from '../../core/jumpbox/names';
import type { ScheduleState } from '../../core/jumpbox/scheduler';
import { localParts, weekdayOf } from '../../core/jumpbox/zonedTime';
import type { ExplainedError } from '../../core/session/errors';
import { commandLink, escapeMarkdown } from '../../core/text/markdown';
import { ERROR_ICON, errorNode, WARNING_ICON, type ConsoleLink, type TreeNode } from '../../plumbing/treeNode';
import { agentNode, lastActionNode, nextActionNodes, overrideText, type AgentView } from './agentModel';

/** Everything the view shows about one jumpbox; the controller gathers it, the tree is built from it alone. */
export interface JumpboxView {
  jumpbox: JumpboxInfo;
  /** Present when the jumpbox has a DNS tag. */
  dns?: DnsCheck;
  /** What EventBridge Scheduler holds for it. */
  scheduler: { ok: true; state: ScheduleState } | { ok: false; message: string };
  /** Undefined while the price is still being looked up. */
  price?: ResolvedPrice;
}

/** `agent`: the region's jumpbox agent, once read (no row for it until then). */
export type JumpboxRegionView = ({ region: string; ok: true; jumpboxes: JumpboxView[]; agent?: AgentView } | { region: string; ok: false; error: ExplainedError }) & { account?: AccountRef };

export interface JumpboxTreeInput {
  regions: readonly JumpboxRegionView[];
  now: Date;
  /** The awsops.holidays setting (YYYY-MM-DD): days the cost estimate counts as off. */
  holidays: readonly string[];
}

/** What every row of a jumpbox hands to the commands invoked on it. */
export interface JumpboxRef {
  kind: 'jumpbox';
  region: string;
  instanceId: string;
  name?: string;
  state: string;
  account?: AccountRef;
}

export function jumpboxRefOf(node: TreeNode | undefined): JumpboxRef | undefined {
  const data = node?.data as Partial<JumpboxRef> | undefined;
  return data?.kind === 'jumpbox' ? (data as JumpboxRef) : undefined;
}

export function jumpboxRefFor(jumpbox: JumpboxInfo): JumpboxRef {
  return { kind: 'jumpbox', region: jumpbox.region, instanceId: jumpbox.instanceId, name: jumpbox.name, state: jumpbox.state, ...(jumpbox.account && { account: jumpbox.account }) };
}

/** One row per jumpbox (regions in the order asked), its facts as children; a failed region is one error row. */
export function buildJumpboxTree(input: JumpboxTreeInput): TreeNode[] {
  const showRegion = input.regions.length > 1;
  return input.regions.flatMap((result): TreeNode[] => {
    if (!result.ok) {
      const row = errorNode(`jumpboxes:${result.region}:error`, result.error);
      return [{ ...row, label: `${result.region}: ${row.label}` }];
    }
    const agentInstalled = result.agent?.ok === true && result.agent.status.installed;
    const agent = result.agent && result.jumpboxes.length ? [agentNode(result.region, result.agent, result.jumpboxes.map((v) => v.jumpbox), showRegion)] : [];
    return [...agent, ...result.jumpboxes.map((view) => jumpboxNodeOrError(view, input, showRegion, agentInstalled))];
  });
}

/** Tags are untrusted input: whatever one jumpbox's tags do to its row, it becomes an error row and the rest show. */
function jumpboxNodeOrError(view: JumpboxView, input: JumpboxTreeInput, showRegion: boolean, agentInstalled: boolean): TreeNode {
  try {
    return jumpboxNode(view, input, showRegion, agentInstalled);
  } catch (error) {
    const { jumpbox } = view;
    const problem = `This jumpbox cannot be shown: ${error instanceof Error ? error.message : String(error)}`;
    return {
      id: `jumpbox:${jumpbox.region}/${jumpbox.instanceId}`,
      label: jumpbox.name ?? jumpbox.instanceId,
      description: problem,
      tooltip: `**${jumpboxLabel(jumpbox)}**\n\n${problem}\n\nCheck its ${Object.values(JUMPBOX_TAGS).join(', ')} tags.`,
      icon: ERROR_ICON,
      contextValue: `jumpbox jumpbox.${jumpbox.state}`,
      data: jumpboxRefFor(jumpbox),
    };
  }
}

const GONE = new Set(['shutting-down', 'terminated']);

const STATE_ICONS: Record<string, TreeNode['icon']> = {
  running: { id: 'vm-running', color: 'testing.iconPassed' },
  stopped: { id: 'vm-outline' },
  pending: { id: 'loading~spin' },
  stopping: { id: 'loading~spin' },
  'shutting-down': { id: 'circle-slash', color: 'disabledForeground' },
  terminated: { id: 'circle-slash', color: 'disabledForeground' },
};

function jumpboxNode(view: JumpboxView, input: JumpboxTreeInput, showRegion: boolean, agentInstalled: boolean): TreeNode {
  const { jumpbox } = view;
  const id = `jumpbox:${jumpbox.region}/${jumpbox.instanceId}`;
  const ref = jumpboxRefFor(jumpbox);
  const schedule = jumpbox.scheduleText === undefined ? undefined : parseSchedule(jumpbox.scheduleText);
  const valid = schedule?.ok ? schedule.schedule : undefined;
  const children = [
    view.dns && dnsNode(`${id}/dns`, view.dns, jumpbox),
    scheduleNode(`${id}/schedule`, view, { ...input, agentInstalled }),
    lastActionNode(`${id}/agent`, jumpbox, valid?.timeZone),
    jumpbox.custodianText !== undefined ? custodianNode(`${id}/custodian`, jumpbox.custodianText) : undefined,
    // A terminated instance costs nothing more.
    GONE.has(jumpbox.state) ? undefined : costNode(`${id}/cost`, view, valid, input),
  ]
    .filter((child): child is TreeNode => child !== undefined)
    .map((child) => ({ ...child, data: ref }));
  const facts = [jumpbox.state, jumpbox.instanceType, jumpbox.publicIp, showRegion ? jumpbox.region : undefined];
  return {
    id,
    label: jumpbox.name ?? jumpbox.instanceId,
    description: facts.filter(Boolean).join(' · '),
    tooltip: [
      `**${escapeMarkdown(jumpboxLabel(jumpbox))}** in ${escapeMarkdown(jumpbox.availabilityZone ?? jumpbox.region)}`,
      ...[
        `State: ${jumpbox.state}${jumpbox.instanceType ? ` · ${jumpbox.instanceType}` : ''}`,
        `Public IP: ${jumpbox.publicIp ?? 'none'} · private IP: ${jumpbox.privateIp ?? 'none'}`,
      ].map(escapeMarkdown),
    ].join('\n\n'),
    icon: STATE_ICONS[jumpbox.state] ?? { id: 'vm' },
    contextValue: `jumpbox jumpbox.${jumpbox.state}${overrideText(jumpbox, input.now) ? ' jumpbox.override' : ''}`,
    // Open when something needs attention, so the warning is seen without a click.
    expanded: children.some((child) => child.icon === WARNING_ICON || child.icon === ERROR_ICON),
    data: ref,
    console: { region: jumpbox.region, resource: { kind: 'instance', id: jumpbox.instanceId } },
    children,
  };
}

const DNS_OK = { id: 'pass', color: 'testing.iconPassed' } as const;
const NEUTRAL = { id: 'circle-slash' } as const;

const POINT_AT_IP = 'Update DNS Record points it at the current public IP (TTL 60).';
/** What Update DNS Record does on a row of that status; package.json offers it on exactly these. */
const DNS_FIXES: Partial<Record<DnsCheck['status'], string>> = {
  stale: POINT_AT_IP,
  missing: POINT_AT_IP,
  released: 'Update DNS Record deletes it and its ownership record.',
};

/** What Update DNS Record would do for the check, or undefined when there is nothing to fix. */
export function dnsFix(check: DnsCheck | undefined): string | undefined {
  return check && DNS_FIXES[check.status];
}

function dnsNode(id: string, check: DnsCheck, jumpbox: JumpboxInfo): TreeNode {
  const records = check.recordIps.join(', ');
  const foreign = check.managed || !records ? '' : ` · ${ownership(check.owner)}`;
  const [description, icon] = ((): [string, TreeNode['icon']] => {
    switch (check.status) {
      case 'in-sync':
        return [`→ ${check.publicIp} · in sync${foreign}`, DNS_OK];
      case 'stale':
        return [`→ ${records || 'nothing'} · stale: the public IP is ${check.publicIp}${foreign}`, WARNING_ICON];
      case 'missing':
        return [`no A record · the public IP is ${check.publicIp}`, WARNING_ICON];
      case 'no-public-ip':
        return [`no public IP${records ? ` · record → ${records}` : ''}${foreign}`, NEUTRAL];
      case 'released':
        return [`→ ${records} · a released IP: no public IP now`, WARNING_ICON];
      case 'alias':
        return ['alias record · left alone', NEUTRAL];
      case 'no-zone':
      case 'refused':
        return [check.message, WARNING_ICON];
      case 'error':
        return [check.message, ERROR_ICON];
    }
  })();
  const fix = dnsFix(check);
  return {
    id,
    label: check.name,
    description,
    tooltip: [
      `**${escapeMarkdown(check.name)}** ${escapeMarkdown(`(tag ${JUMPBOX_TAGS.dns})`)}`,
      ...[
        check.message,
        check.zone ? `Hosted zone ${check.zone.name} (${check.zone.id})${jumpbox.hostedZone ? `, named by tag ${JUMPBOX_TAGS.hostedZone}` : ''}` : '',
        fix && foreign ? `${fix} AWS Ops does not manage it, so it asks first.` : fix,
      ]
        .filter((line): line is string => Boolean(line))
        .map(escapeMarkdown),
    ].join('\n\n'),
    icon,
    contextValue: `jumpboxDns jumpboxDns.${check.status}`,
    console: check.zone ? { region: jumpbox.region, resource: { kind: 'route53-record', hostedZoneId: check.zone.id, name: check.name } } : undefined,
  };
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Thu 18:00" in the schedule's own zone: the time the user wrote in the tag. */
function localTime(at: Date, timeZone: string): string {
  const local = localParts(at.getTime(), timeZone);
  return `${DAY_NAMES[weekdayOf(local)]} ${formatMinute(local.hour * 60 + local.minute)}`;
}

function scheduleNode(id: string, view: JumpboxView, input: { now: Date; holidays: readonly string[]; agentInstalled: boolean }): TreeNode {
  const { jumpbox, scheduler } = view;
  const { now, agentInstalled } = input;
  const inAws = scheduler.ok ? scheduler.state : undefined;
  const awsText = !scheduler.ok
    ? `Scheduler could not be read: ${scheduler.message}`
    : { 'in-sync': 'applied in AWS', absent: 'not applied in AWS', partial: 'partly applied in AWS', disabled: 'disabled in AWS', differs: 'AWS differs' }[scheduler.state.status] + agentRoute(scheduler.state, agentInstalled);
  const override = overrideText(jumpbox, now);
  const tooltipTail = [scheduler.ok ? scheduler.state.message : awsText, 'Apply Work-Hours Schedule… creates, updates or removes it in AWS.'].map(escapeMarkdown);
  const applied = inAws !== undefined && inAws.status !== 'absent';
  const console: ConsoleLink[] | undefined = applied
    ? (['start', 'stop'] as const).map((kind) => ({ region: jumpbox.region, resource: { kind: 'schedule', name: scheduleName(jumpbox.instanceId, kind) }, label: `Schedule ${scheduleName(jumpbox.instanceId, kind)}` }))
    : undefined;
  const base = { id, contextValue: `jumpboxSchedule${override ? ' jumpbox.override' : ''}`, console };
  const next = (schedule?: WorkSchedule) => nextActionNodes(id, { jumpbox, schedule, now, holidays: input.holidays, agentInstalled });
  if (jumpbox.scheduleText === undefined) {
    const leftover = applied;
    return {
      ...base,
      label: 'No schedule',
      description: [override, leftover ? awsText : `add tag ${JUMPBOX_TAGS.schedule}, e.g. ${SCHEDULE_EXAMPLE}`].filter(Boolean).join(' · '),
      children: next(),
      tooltip: [escapeMarkdown(`No ${JUMPBOX_TAGS.schedule} tag.`), ...tooltipTail].join('\n\n'),
      icon: leftover || !scheduler.ok ? WARNING_ICON : { id: 'calendar' },
    };
  }
  const parsed = parseSchedule(jumpbox.scheduleText);
  if (!parsed.ok) {
    return {
      ...base,
      label: jumpbox.scheduleText || '(empty schedule)',
      description: parsed.error,
      tooltip: [`**Tag ${escapeMarkdown(JUMPBOX_TAGS.schedule)}** ${escapeMarkdown(`"${jumpbox.scheduleText}"`)}`, ...[parsed.error, `Example: ${SCHEDULE_EXAMPLE}`].map(escapeMarkdown)].join('\n\n'),
      icon: WARNING_ICON,
    };
  }
  const schedule = parsed.schedule;
  const transitions = nextTransitions(schedule, now);
  const start = transitions && `starts ${localTime(transitions.nextStart, schedule.timeZone)}`;
  const stop = transitions && `stops ${localTime(transitions.nextStop, schedule.timeZone)}`;
  const events = !transitions ? ['no start or stop ahead'] : transitions.withinHours ? [stop, start] : [start, stop];
  return {
    ...base,
    label: formatSchedule(schedule),
    description: [override, ...events, awsText].filter(Boolean).join(' · '),
    children: next(schedule),
    tooltip: [
      `**Work hours** ${escapeMarkdown(`(tag ${JUMPBOX_TAGS.schedule}): ${formatSchedule(schedule)}`)}`,
      escapeMarkdown(transitions ? `Next start ${transitions.nextStart.toISOString()}, next stop ${transitions.nextStop.toISOString()}` : 'No start or stop in the next five weeks.'),
      ...tooltipTail,
    ].join('\n\n'),
    icon: inAws?.status === 'in-sync' ? { id: 'calendar', color: 'testing.iconPassed' } : inAws?.status === 'absent' ? { id: 'calendar' } : WARNING_ICON,
  };
}

/** Whether the applied schedules go through the region's agent, when that matters. */
function agentRoute(state: ScheduleState, agentInstalled: boolean): string {
  if (state.status === 'absent') return '';
  if (state.viaAgent) return agentInstalled ? ' through the agent' : ' through a removed agent: apply again';
  return agentInstalled ? ', not through the agent: apply again' : '';
}

function custodianNode(id: string, text: string): TreeNode {
  const parsed = parseCustodianTag(text);
  return {
    id,
    label: 'Cloud Custodian offhours',
    description: parsed.ok ? describeCustodian(parsed.schedule) : parsed.error,
    tooltip: escapeMarkdown(`Tag maid_offhours = "${text}" (read-only: Cloud Custodian's own policy acts on it, not AWS Ops).`),
    icon: parsed.ok ? { id: 'law' } : WARNING_ICON,
    contextValue: 'jumpboxCustodian',
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Opens the Settings editor at awsops.hourlyPrices: the one command a cost tooltip's link may run. */
const OPEN_SETTINGS = 'workbench.action.openSettings';

function costNode(id: string, view: JumpboxView, schedule: WorkSchedule | undefined, input: JumpboxTreeInput): TreeNode {
  const { price } = view;
  const local = localParts(input.now.getTime(), schedule?.timeZone ?? 'UTC');
  const base = { id, label: `Cost in ${MONTHS[local.month - 1]}`, contextValue: 'jumpboxCost', icon: { id: 'credit-card' } };
  const priceText = describePrice(price, view.jumpbox.instanceType);
  if (!price) return { ...base, description: 'looking up the price…', tooltip: escapeMarkdown(priceText) };
  const problem = input.holidays.map(holidayProblem).find(Boolean);
  if (schedule && problem) return { ...base, description: problem, tooltip: escapeMarkdown(`${problem} Fix the awsops.holidays setting.`), icon: WARNING_ICON };
  // An unknown price says how to fix it, with a link straight to the setting.
  const unknown = price.usdPerHour === undefined;
  const priced = { ...base, tooltipCommands: unknown ? [OPEN_SETTINGS] : undefined };
  const fix = unknown ? commandLink('Open the awsops.hourlyPrices setting', OPEN_SETTINGS, ['awsops.hourlyPrices']) : '';
  const note = 'Instance hours only: EBS volumes are billed whether the instance runs or not.';
  if (!schedule) {
    const hours = new Date(Date.UTC(local.year, local.month, 0)).getUTCDate() * 24;
    const usd = price.usdPerHour === undefined ? 'price unknown' : formatUsd(Math.round(hours * price.usdPerHour * 100) / 100);
    return { ...priced, description: `${hours} h always on (no schedule): ${usd}`, tooltip: [escapeMarkdown(priceText), fix, escapeMarkdown(note)].filter(Boolean).join('\n\n') };
  }
  const cost = monthlyCost(monthHours(schedule, local.year, local.month, input.holidays), price);
  const saved = cost.savedUsd === undefined ? '' : `The schedule saves ${formatUsd(cost.savedUsd)} this month.`;
  const workDays = `${cost.hours.workDays} work days${input.holidays.length ? ' (holidays from awsops.holidays excluded)' : ''}.`;
  const tooltip = [escapeMarkdown(priceText), fix, ...[saved, workDays, note].filter(Boolean).map(escapeMarkdown)].filter(Boolean).join('\n\n');
  return { ...priced, description: describeMonthlyCost(cost), tooltip };
}

function describePrice(price: ResolvedPrice | undefined, instanceType: string | undefined): string {
  const type = instanceType ?? 'this instance type';
  if (!price) return `Looking up the on-demand price of ${type}…`;
  if (price.usdPerHour === undefined) {
    return `The price of ${type} is unknown (${price.note}). Add it to the awsops.hourlyPrices setting, as { "${type}": <USD per hour> }.`;
  }
  const source = price.source === 'price-list' ? 'the AWS Price List API' : 'the awsops.hourlyPrices setting';
  return `On-demand ${type}: $${price.usdPerHour}/h, from ${source}.`;
}
