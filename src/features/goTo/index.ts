import * as vscode from 'vscode';
import { registerCommand, type FeatureDeps } from '../../plumbing/commands';
import { searchRows, type RowMatch } from '../../plumbing/rowSearch';

interface RowItem extends vscode.QuickPickItem {
  match: RowMatch;
}

/**
 * awsops.goTo ("Go to…", palette and view titles): type an IP, VIP, instance, ENI or route-table id, an ARN or
 * a Name; the matching rows of every view are offered as you type, and the one picked is revealed and selected.
 */
export function registerGoTo(deps: FeatureDeps): void {
  registerCommand(deps, 'awsops.goTo', async () => {
    const rows = () => deps.views.all().flatMap((entry) => [...entry.provider.rows()].map((row) => ({ ...row, viewId: entry.id, viewTitle: entry.title })));
    const picked = await deps.host().searchPick((query) => searchRows(rows(), query).map(toItem), {
      title: 'AWS Ops: Go to…',
      placeholder: 'An IP, VIP, instance / ENI / route table id, ARN or Name',
    });
    const entry = picked && deps.views.all().find((e) => e.id === picked.match.viewId);
    if (!entry || !picked) return;
    // The row may have been rebuilt by a poll while the picker was open: reveal its current version.
    const node = entry.provider.latest(picked.match.node);
    if (!node) return void (await deps.host().info(`AWS Ops: ${picked.match.node.label} is no longer in ${entry.title}.`));
    await deps.views.reveal(entry, node);
  });
}

function toItem(match: RowMatch): RowItem {
  const { node, viewTitle, path } = match;
  return {
    label: node.label,
    iconPath: node.icon && new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined),
    description: [viewTitle, ...path].join(' › '),
    detail: node.description,
    match,
  };
}
