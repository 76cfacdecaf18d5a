/**
 * The jumpbox agent in the Jumpboxes view (pure): a row per region saying whether the agent is installed and
 * what goes stale without it, each jumpbox's next actions with what the agent will skip, and its last result.
 */
import { agentOutdated, AGENT_STACK_NAME, AGENT_VERSION, type AgentStatus } from '../../core/jumpbox/agentStack';
import { activeOverride, AGENT_TAGS, describeOverride, parseResult, type ActionResult } from '../../core/jumpbox/agentTags';
import type { JumpboxInfo } from '../../core/jumpbox/model';
import { formatMinute, type WorkSchedule } from '../../core/jumpbox/schedule';
import { upcomingActions, type PlannedAction } from '../../core/jumpbox/upcoming';
import { isoDate, localParts, weekdayOf } from '../../core/jumpbox/zonedTime';
import { escapeMarkdown } from '../../core/text/markdown';
import { ERROR_ICON, WARNING_ICON, type TreeNode } from '../../plumbing/treeNode';

export type AgentView = { ok: true; status: AgentStatus } | { ok: false; message: string };

/** What every agent row hands to the agent commands invoked on it. */
export interface AgentRef {
  kind: 'jumpboxAgent';
  region: string;
}

export function agentRefOf(node: TreeNode | undefined): AgentRef | undefined {
  const data = node?.data as Partial<AgentRef> | undefined;
  return data?.kind === 'jumpboxAgent' && typeof data.region === 'string' ? (data as AgentRef) : undefined;
}

const CLOUD_OK = { id: 'cloud', color: 'testing.iconPassed' } as const;

export function agentNode(region: string, agent: AgentView, jumpboxes: readonly JumpboxInfo[], showRegion: boolean): TreeNode {
  const base = { id: `jumpboxAgent:${region}`, data: { kind: 'jumpboxAgent', region } satisfies AgentRef };
  const where = showRegion ? ` · ${region}` : '';
  if (!agent.ok) return { ...base, label: 'Jumpbox agent', description: `could not be read: ${agent.message}${where}`, tooltip: escapeMarkdown(agent.message), icon: ERROR_ICON, contextValue: 'jumpboxAgent' };
  const { status } = agent;
  if (status.installed && agentOutdated(status)) {
    return {
      ...base,
      label: 'Jumpbox agent',
      description: `v${status.version || '?'} installed · v${AGENT_VERSION} available: Update Jumpbox Agent…${where}`,
      tooltip: escapeMarkdown(`Stack ${AGENT_STACK_NAME} in ${region} runs agent v${status.version || '?'}; this extension carries v${AGENT_VERSION}. Update Jumpbox Agent… shows the change set first.`),
      icon: WARNING_ICON,
      contextValue: 'jumpboxAgent jumpboxAgent.outdated jumpboxAgent.installed',
    };
  }
  if (status.installed) {
    return {
      ...base,
      label: 'Jumpbox agent',
      description: `v${status.version} · DNS, holidays and overrides handled in AWS${where}`,
      tooltip: [
        `**Jumpbox agent v${status.version}** ${escapeMarkdown(`(stack ${AGENT_STACK_NAME}, ${region})`)}`,
        ...[
          `Function ${status.functionArn ?? 'unknown'}: on every start and stop of a jumpbox, whoever made it, its DNS record follows; scheduled starts skip holidays (setting awsops.holidays) and overrides.`,
          'Each result is on the jumpbox, in tags awsops:last-action and awsops:last-error.',
        ].map(escapeMarkdown),
      ].join('\n\n'),
      icon: CLOUD_OK,
      contextValue: 'jumpboxAgent jumpboxAgent.installed',
    };
  }
  const stuck = status.stackStatus ? ` Its stack is ${status.stackStatus}: Remove Jumpbox Agent… deletes it.` : '';
  return {
    ...base,
    label: 'Jumpbox agent not installed',
    description: `${status.stackStatus ? `stack ${status.stackStatus}` : 'DNS goes stale after starts and stops outside VS Code'}${where}`,
    tooltip: escapeMarkdown(missingAgentText(region, jumpboxes) + stuck),
    icon: WARNING_ICON,
    contextValue: status.stackStatus ? 'jumpboxAgent jumpboxAgent.failed' : 'jumpboxAgent jumpboxAgent.missing',
  };
}

/** Exactly what goes stale in a region without the agent, naming its records. */
export function missingAgentText(region: string, jumpboxes: readonly JumpboxInfo[]): string {
  const names = [...new Set(jumpboxes.flatMap((j) => (j.dnsName ? [j.dnsName] : [])))];
  const records = names.length ? names.join(', ') : 'a jumpbox DNS record (tag awsops:dns)';
  return [
    `Without the jumpbox agent in ${region}, only starts and stops made from VS Code keep DNS right:`,
    `after a start by the work-hours schedule, the EC2 console or the CLI, ${records} points at last session's released IP; after such a stop it stays at an address someone else can acquire.`,
    'The schedule in AWS also starts on holidays (setting awsops.holidays), and Keep Running/Stopped Until… cannot be set.',
    'Install Jumpbox Agent… deploys a small Lambda function for this region after you review its change set.',
  ].join(' ');
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "Thu 2026-12-03 18:00" in the zone. */
function localStamp(at: Date, timeZone: string): string {
  const p = localParts(at.getTime(), timeZone);
  return `${DAY_NAMES[weekdayOf(p)]} ${isoDate(p)} ${formatMinute(p.hour * 60 + p.minute)}`;
}

export interface NextActionsInput {
  jumpbox: JumpboxInfo;
  schedule?: WorkSchedule;
  now: Date;
  holidays: readonly string[];
  agentInstalled: boolean;
}

/**
 * The next few actions as child rows of the schedule row. Only the agent skips holidays and honours overrides:
 * without it the rows say that the schedule in AWS goes ahead anyway.
 */
export function nextActionNodes(parentId: string, input: NextActionsInput): TreeNode[] {
  const { jumpbox, schedule, now, agentInstalled } = input;
  const override = activeOverride(jumpbox.tags[AGENT_TAGS.override], now);
  const holidays = new Set(input.holidays);
  const timeZone = schedule?.timeZone ?? 'UTC';
  const actions = upcomingActions(schedule, now, { holidays: agentInstalled ? holidays : new Set(), override: agentInstalled ? override : undefined });
  return actions.map((action, i) => {
    const unhonoured = !agentInstalled && schedule && action.kind === 'start' && holidays.has(isoDate(localParts(action.at.getTime(), timeZone)));
    const note = action.skipped ? `skipped: ${action.skipped}` : unhonoured ? 'holiday, but starts: no jumpbox agent' : action.cause === 'override-end' ? 'the override ends' : undefined;
    return {
      id: `${parentId}/next/${i}`,
      label: `${localStamp(action.at, timeZone)}${schedule ? '' : ' UTC'}`,
      description: [action.kind, note].filter(Boolean).join(' · '),
      tooltip: escapeMarkdown(actionTooltip(action, timeZone)),
      icon: action.skipped ? { id: 'debug-step-over', color: 'disabledForeground' } : unhonoured ? WARNING_ICON : { id: action.kind === 'start' ? 'debug-start' : 'debug-stop' },
      contextValue: 'jumpboxNextAction',
    };
  });
}

function actionTooltip(action: PlannedAction, timeZone: string): string {
  const when = `${action.at.toISOString().slice(0, 16).replace('T', ' ')} UTC (${localStamp(action.at, timeZone)} ${timeZone})`;
  const what = action.cause === 'override-end' ? `The override ends: the jumpbox agent ${action.kind}s the jumpbox, as its work hours call for.` : `Scheduled ${action.kind}.`;
  return `${when}. ${what}${action.skipped ? ` The jumpbox agent skips it: ${action.skipped}.` : ''}`;
}

/** The active override, for the schedule row's description; undefined when there is none. */
export function overrideText(jumpbox: JumpboxInfo, now: Date): string | undefined {
  const override = activeOverride(jumpbox.tags[AGENT_TAGS.override], now);
  return override && describeOverride(override);
}

/** The agent's last action and result on this jumpbox (tags), when it has acted on it. */
export function lastActionNode(id: string, jumpbox: JumpboxInfo, timeZone = 'UTC'): TreeNode | undefined {
  const action = parseResult(jumpbox.tags[AGENT_TAGS.lastAction]);
  if (!action) return undefined;
  const error = parseResult(jumpbox.tags[AGENT_TAGS.lastError]);
  // An error counts until a later action succeeded.
  const failed = error !== undefined && error.at >= action.at;
  const shown: ActionResult = failed ? error : action;
  return {
    id,
    label: 'Agent',
    description: `${failed ? 'failed ' : ''}${localStamp(shown.at, timeZone)}: ${shown.text}`,
    tooltip: [
      `**Last action of the jumpbox agent** ${escapeMarkdown(`(tag ${AGENT_TAGS.lastAction})`)}`,
      escapeMarkdown(`${action.at.toISOString()}: ${action.text}`),
      ...(error ? [`**Last error** ${escapeMarkdown(`(tag ${AGENT_TAGS.lastError})`)}`, escapeMarkdown(`${error.at.toISOString()}: ${error.text}`)] : []),
    ].join('\n\n'),
    icon: failed ? ERROR_ICON : { id: 'history' },
    contextValue: 'jumpboxLastAction',
  };
}
