import * as vscode from 'vscode';
import { vipHealth } from '../../core/vip/health';
import type { RegionResult } from '../../core/vip/model';
import { registerCommand, type FeatureDeps } from '../../plumbing/commands';
import { readSettings } from '../../plumbing/settings';
import type { TreeNode } from '../../plumbing/treeNode';
import { vipRowMatches } from './rows';

/**
 * VIP health at a glance, after every discovery: a badge on the VIP Routes view (the AWS Ops container shows
 * it) with the number of VIPs (route VIPs and the pairs' Elastic IPs) with problems, and the status-bar item awsops.vipHealth, whose click runs
 * awsops.revealVipProblem: the first problem, revealed and selected in the view.
 */
export function registerVipHealth(deps: Omit<FeatureDeps, 'discovery'>, view: vscode.TreeView<TreeNode>, discovery: FeatureDeps['discovery']): void {
  const item = vscode.window.createStatusBarItem('awsops.vipHealth', vscode.StatusBarAlignment.Left, 49);
  item.name = 'AWS Ops VIP health';
  item.command = 'awsops.revealVipProblem';
  const show = (results: readonly RegionResult[]) => {
    // No discovery (settings unusable, or nothing chosen): the VIP Routes view says why; nothing to summarise.
    if (results.length === 0) {
      view.badge = undefined;
      item.hide();
      return;
    }
    const health = vipHealth(results, readSettings().pairTagKey);
    const problems = `${health.withProblems} VIP${health.withProblems === 1 ? '' : 's'} with problems`;
    view.badge = health.withProblems > 0 ? { value: health.withProblems, tooltip: problems } : undefined;
    const failed = health.failedRegions.length ? ` · ${health.failedRegions.length} region${health.failedRegions.length === 1 ? '' : 's'} unreadable` : '';
    const icon = health.worst === 'error' ? 'error' : health.worst || failed ? 'warning' : 'pass';
    item.text = `$(${icon}) ${health.withProblems ? problems : `VIPs healthy (${health.vips})`}${failed}`;
    item.tooltip = [
      health.first ? `First problem: ${health.first.message}` : `All ${health.vips} VIPs are healthy.`,
      failed ? `Discovery failed in ${health.failedRegions.join(', ')}.` : undefined,
      health.first ? 'Click to reveal it in VIP Routes.' : 'Click to show VIP Routes.',
    ]
      .filter(Boolean)
      .join('\n');
    item.backgroundColor = health.worst ? new vscode.ThemeColor(`statusBarItem.${health.worst}Background`) : undefined;
    item.show();
  };
  registerCommand(deps, 'awsops.revealVipProblem', async () => {
    const { first } = vipHealth(discovery.latest(), readSettings().pairTagKey);
    if (!first || !(await deps.views.revealWhere('awsops.vipRoutes', vipRowMatches(first)))) {
      await vscode.commands.executeCommand('awsops.vipRoutes.focus');
    }
  });
  deps.extension.subscriptions.push(item, discovery.onDidChange(show));
}
