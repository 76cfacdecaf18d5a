import * as vscode from 'vscode';
import { detectChanges, type VipChange } from '../../core/vip/changes';
import type { RegionResult } from '../../core/vip/model';
import { guarded, type FeatureDeps } from '../../plumbing/commands';
import { setting } from '../../plumbing/settings';
import type { TreeNode } from '../../plumbing/treeNode';
import { vipRowMatches } from './rows';

/** More changes than this at once are one summary notice (the log has each). */
const MAX_NOTICES = 3;

/**
 * Tells what changed in AWS between two discoveries when nobody here caused it — a failover by keepalived at
 * 03:12, a split brain at noon — with "Reveal" and "Show Failover Plan". What the user's own mutating
 * commands did is left out (they report it themselves), and so is the first discovery after a settings change
 * (another profile or region is not a change); a new split brain is told once a second discovery confirms it.
 * awsops.notifications.changes silences the notices; the log keeps every change.
 */
export function registerChangeNotices(deps: Omit<FeatureDeps, 'discovery'>, discovery: FeatureDeps['discovery']): void {
  let baseline: readonly RegionResult[] | undefined;
  let mutationsSeen = deps.mutations.started;
  let deferred = false;
  const onDiscovery = (results: readonly RegionResult[]) => {
    // Halfway through a fleet refresh the accounts not yet read would look gone: compare whole discoveries.
    if (discovery.inProgress()) return;
    const ownMutation = deps.mutations.busy || deps.mutations.started !== mutationsSeen;
    mutationsSeen = deps.mutations.started;
    if (!baseline || ownMutation || results.length === 0) {
      [baseline, deferred] = [results, false];
      return;
    }
    const changes = detectChanges(baseline, results, { pairTagKey: deps.context.settings().pairTagKey, seenAt: new Date() });
    // A failover moves the tables one by one: caught halfway, it looks like a split brain. Look once more
    // before telling: the next discovery shows whether it stayed split or became a move.
    if (!deferred && changes.some((c) => c.kind === 'split-brain')) {
      deferred = true;
      return;
    }
    [baseline, deferred] = [results, false];
    for (const change of changes) deps.log.info(`change: ${change.message}`);
    if (changes.length === 0 || setting<boolean>('notifications.changes') === false) return;
    if (changes.length > MAX_NOTICES) {
      const text = `${changes.length} changes in AWS, e.g. ${changes[0].message}; the AWS Ops log lists them all.`;
      void deps.host().warn(text, 'Show Log').then((action) => action && deps.log.show());
      return;
    }
    for (const change of changes) void notify(deps, change);
  };
  deps.extension.subscriptions.push(
    discovery.onDidChange(onDiscovery),
    deps.context.onDidChange(() => (baseline = undefined)),
  );
}

async function notify(deps: Omit<FeatureDeps, 'discovery'>, change: VipChange): Promise<void> {
  const host = deps.host();
  // The notification names its source (AWS Ops) itself: the text is the change, as the log has it.
  const actions = ['Reveal', 'Show Failover Plan'];
  const action = await (change.severity === 'warning' ? host.warn(change.message, ...actions) : host.info(change.message, ...actions));
  await guarded(deps, async () => {
    if (action === 'Reveal') await reveal(deps, change);
    // The plan command reads only the row's data: the VIP (region, VPC, CIDR), or the pair (region, name).
    if (action === 'Show Failover Plan') await vscode.commands.executeCommand('awsops.showFailoverPlan', rowOf(change));
  });
}

async function reveal(deps: Omit<FeatureDeps, 'discovery'>, change: VipChange): Promise<void> {
  const found = change.vip
    ? await deps.views.revealWhere('awsops.vipRoutes', vipRowMatches({ region: change.region, accountId: change.account?.accountId, ...change.vip }))
    : await deps.views.revealWhere('awsops.pairs', (node) => node.contextValue === 'pair' && samePair(node, change));
  if (!found) await deps.host().info(`AWS Ops: the views no longer show it (${change.message}).`);
}

function samePair(node: TreeNode, change: VipChange): boolean {
  const data = node.data as { region?: string; pairName?: string } | undefined;
  const sameAccount = !change.account || node.account?.accountId === change.account.accountId;
  return sameAccount && data?.region === change.region && data.pairName === change.pair?.name;
}

function rowOf(change: VipChange): TreeNode {
  const data = change.vip ? { region: change.region, ...change.vip } : { region: change.region, pairName: change.pair?.name };
  return { id: `change:${change.region}`, label: change.message, data, account: change.account };
}
