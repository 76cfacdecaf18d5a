import * as vscode from 'vscode';
import type { FeatureDeps } from '../../plumbing/commands';
import { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import { registerPairCommands } from './commands';
import { PairsController } from './controller';

/**
 * The HAProxy Pairs view (awsops.pairs) and its commands: fail over, show the failover plan, check keepalived &
 * haproxy. The view is rebuilt from every VIP discovery. `refresh` resolves once it shows the latest one.
 */
export function registerPairs(deps: FeatureDeps): { provider: NodeTreeProvider; refresh(): Promise<void> } {
  const provider = new NodeTreeProvider();
  const view = vscode.window.createTreeView('awsops.pairs', { treeDataProvider: provider, showCollapseAll: true });
  const controller = new PairsController(deps.context, provider, view, () => deps.discovery.failures());
  registerPairCommands(deps, controller);
  // awsops.refresh always runs the VIP discovery, whose results rebuild this view: it only notes that one is coming.
  let discoveryRequested = false;
  deps.addRefresher(async () => void (discoveryRequested = true));
  // Ask AWS only once someone looks at the view, and then only if no discovery ran or is running.
  const load = () => {
    if (!controller.loaded && !discoveryRequested) void vscode.commands.executeCommand('awsops.refresh');
  };
  deps.views.add({ id: 'awsops.pairs', title: 'HAProxy Pairs', view, provider });
  // Polling this view reruns the discovery it is built from (once, when VIP Routes is visible too).
  deps.poller.watch(view, deps.discovery.refresh);
  deps.extension.subscriptions.push(
    view,
    deps.discovery.onDidChange((results) => void controller.update(results)),
    view.onDidChangeVisibility((e) => e.visible && load()),
  );
  // After activate() returns: by then the VIP view has started its own refresh if it is visible.
  if (view.visible) setImmediate(load);
  return { provider, refresh: () => controller.idle() };
}
