import { assessReadiness, type Readiness, type ReadinessFacts, type ReadinessSummary } from '../../core/pairs/readiness';
import type { CheckState } from '../../core/pairs/vrrp';
import type { AccountRef } from '../../core/fleet/model';
import { escapeMarkdown } from '../../core/text/markdown';
import { ERROR_ICON, type TreeNode } from '../../plumbing/treeNode';

/** A pair's readiness facts as the last refresh read them; the service checks and the clock come at render time. */
export type PairReadinessFacts = Omit<ReadinessFacts, 'services' | 'now'>;

/** Where a pair lives, as a key: its region, and its account when several are shown (regions repeat across them). */
export function placeOf(region: string, account?: AccountRef): string {
  return account ? `${account.accountId}:${region}` : region;
}

/** `place` is placeOf(region, account). */
export function pairKey(place: string, pairName: string): string {
  return `${place}/${pairName}`;
}

export const SUMMARY_TEXT: Record<ReadinessSummary, string> = { ready: 'ready', 'not-ready': 'not ready', unknown: 'readiness unknown' };

export const SUMMARY_ICONS: Record<ReadinessSummary, NonNullable<TreeNode['icon']>> = {
  ready: { id: 'pass', color: 'testing.iconPassed' },
  'not-ready': ERROR_ICON,
  unknown: { id: 'question' },
};

const STATE_ICONS: Record<CheckState, NonNullable<TreeNode['icon']>> = { ok: SUMMARY_ICONS.ready, fail: SUMMARY_ICONS['not-ready'], unknown: SUMMARY_ICONS.unknown };
const STATE_MARKS: Record<CheckState, string> = { ok: '✓', fail: '✗', unknown: 'unknown' };

/** "✓ why", "✗ why", "unknown (why)": the mark is in the text too, for screen readers and the tooltip. */
function itemText(state: CheckState, why: string): string {
  return state === 'unknown' ? `unknown (${why})` : `${STATE_MARKS[state]} ${why}`;
}

export function readinessOf(facts: PairReadinessFacts, services: ReadinessFacts['services'], now: Date): Readiness {
  return assessReadiness({ ...facts, services, now });
}

/** The Readiness row under a pair: the summary, then one row per item with ✓ / ✗ / unknown and why. */
export function readinessNode(parentId: string, readiness: Readiness | undefined, data: unknown): TreeNode {
  const id = `${parentId}/readiness`;
  // An id of its own: VS Code applies a row's expanded state only to an id it has not shown yet.
  if (!readiness) return { id: `${id}-checking`, label: 'Readiness', description: 'checking…', icon: { id: 'loading~spin' }, contextValue: 'pairReadiness', data };
  const counts = (state: CheckState) => readiness.items.filter((i) => i.state === state).length;
  const failing = counts('fail');
  const unknown = counts('unknown');
  const tally = [failing && `${failing} ✗`, unknown && `${unknown} unknown`].filter(Boolean).join(', ');
  return {
    id,
    label: 'Readiness',
    description: `${SUMMARY_TEXT[readiness.summary]}${tally ? ` (${tally} of ${readiness.items.length})` : ''}`,
    tooltip: [
      '**Failover readiness**, re-evaluated on every refresh',
      ...readiness.items.map((i) => `- ${escapeMarkdown(`${i.label}: ${itemText(i.state, i.why)}`)}`),
    ].join('\n\n'),
    icon: SUMMARY_ICONS[readiness.summary],
    contextValue: 'pairReadiness',
    expanded: readiness.summary !== 'ready',
    data,
    children: readiness.items.map((i) => ({
      id: `${id}/${i.key}`,
      label: i.label,
      description: itemText(i.state, i.why),
      tooltip: [`**${escapeMarkdown(i.label)}**: ${STATE_MARKS[i.state]}`, ...(i.details.length > 1 ? i.details.map((d) => `- ${escapeMarkdown(d)}`) : [escapeMarkdown(i.why)])].join('\n\n'),
      icon: STATE_ICONS[i.state],
      contextValue: `readinessItem.${i.state}`,
      data,
    })),
  };
}
