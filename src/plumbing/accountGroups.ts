import { accountRef, type AccountRef, type FleetProblem } from '../core/fleet/model';
import type { FleetOutcome } from '../core/fleet/run';
import { accountRowLabel } from '../core/fleet/rows';
import { escapeMarkdown } from '../core/text/markdown';
import { ERROR_ICON, type TreeNode } from './treeNode';

/** One account's rows as a view builds them for a single account (regions at the top). */
export interface AccountSection {
  account: AccountRef;
  nodes: TreeNode[];
  /** Problems beneath it, shown on the account row ("3 with problems"). */
  problems: number;
}

/** An account that could not be read at all, with the fix. */
export interface AccountFailure {
  label: string;
  profile: string;
  accountId?: string;
  problem: FleetProblem;
}

/** Command of the inline action on a failed account whose fix is a shell command (`aws sso login …`). */
export const RUN_FIX_COMMAND = 'awsops.runAccountFix';

/**
 * Account → (the view's own rows) when several accounts are shown. Row ids are prefixed with the account so the
 * same VPC id or region in two accounts stays two rows, and every row carries its account for its commands.
 * Failed accounts come last, each an error row with its fix.
 */
export function groupByAccount(sections: readonly AccountSection[], failures: readonly AccountFailure[] = []): TreeNode[] {
  // By name, not by who answered first: rows must not move about as accounts arrive or between refreshes.
  const byName = <T>(name: (t: T) => string) => (a: T, b: T) => name(a).localeCompare(name(b));
  return [
    ...[...sections].sort(byName((s) => `${s.account.label} ${s.account.accountId}`)).map(accountNode),
    ...[...failures].sort(byName((f) => `${f.label} ${f.accountId ?? ''}`)).map(failureNode),
  ];
}

function accountNode({ account, nodes, problems }: AccountSection): TreeNode {
  const id = `account:${account.accountId}`;
  const { label, description } = accountRowLabel(account);
  return {
    id,
    label,
    description: `${description}${problems ? ` · ${problems} with problems` : ''}${nodes.length ? '' : ' · nothing here'}`,
    tooltip: escapeMarkdown(`Account ${account.accountId}, signed in with profile ${account.profile}${account.roleArn ? ` as ${account.roleArn}` : ''}`),
    icon: problems ? ERROR_ICON : { id: 'organization' },
    contextValue: 'account',
    expanded: true,
    account,
    children: nodes.map((node) => inAccount(node, id, account)),
  };
}

function inAccount(node: TreeNode, prefix: string, account: AccountRef): TreeNode {
  return { ...node, id: `${prefix}/${node.id}`, account, children: node.children?.map((child) => inAccount(child, prefix, account)) };
}

function failureNode(failure: AccountFailure): TreeNode {
  const id = `account-failed:${failure.accountId ?? failure.label}`;
  const { problem } = failure;
  return {
    id,
    label: failure.label,
    description: `${failure.accountId ? `${failure.accountId} · ` : ''}${problem.message}`,
    tooltip: [problem.message, problem.fix].map(escapeMarkdown).join('\n\n'),
    icon: ERROR_ICON,
    contextValue: 'accountFailed',
    expanded: true,
    children: [
      {
        id: `${id}/fix`,
        label: problem.fix,
        tooltip: escapeMarkdown(problem.command ? `Runs \`${problem.command}\` in a terminal` : problem.fix),
        icon: { id: problem.command ? 'terminal' : 'lightbulb' },
        // The profile is handed to the command as data, never as shell text (it comes from the config file).
        contextValue: problem.command ? 'accountFix' : 'accountHint',
        data: problem.command ? { profile: failure.profile, kind: problem.kind } : undefined,
      },
    ],
  };
}

/** A region's answer in a fleet, tagged with its account. */
export interface AccountRegion<T> {
  account: AccountRef;
  region: string;
  result?: T;
  problem?: FleetProblem;
}

/** The answers of a fleet run so far: every region of the accounts that answered, and the accounts that failed. */
export function fleetAnswers<T>(outcomes: readonly FleetOutcome<T>[]): { regions: AccountRegion<T>[]; failures: AccountFailure[] } {
  const regions: AccountRegion<T>[] = [];
  const failures: AccountFailure[] = [];
  for (const outcome of outcomes) {
    // Read now, not when it arrived: a later profile reaching the same account adds itself to alsoReachedBy.
    if (outcome.kind === 'account') regions.push(...outcome.regions.map((r) => ({ ...r, account: accountRef(outcome.account) })));
    if (outcome.kind === 'failed') failures.push({ label: outcome.target.label, profile: outcome.target.profile, accountId: outcome.target.accountId, problem: outcome.problem });
  }
  return { regions, failures };
}

/**
 * A view's rows for results of one or several accounts: with one account (and no failed one) the view looks as it
 * does for a single profile; with more, `build` makes each account's rows beneath its account row.
 */
export function accountTree<R extends { account?: AccountRef }>(
  results: readonly R[],
  failures: readonly AccountFailure[],
  build: (results: R[]) => TreeNode[],
  problems: (results: R[]) => number,
): TreeNode[] {
  const byAccount = new Map<string, R[]>();
  for (const result of results) {
    const key = result.account?.accountId ?? '';
    byAccount.set(key, [...(byAccount.get(key) ?? []), result]);
  }
  if (byAccount.size <= 1 && failures.length === 0) return build([...results]);
  const sections = [...byAccount.values()].map((rs) => ({ account: rs[0].account as AccountRef, nodes: build(rs), problems: problems(rs) }));
  return groupByAccount(sections, failures);
}
