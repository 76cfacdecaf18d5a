import * as vscode from 'vscode';
import type { RegionResult } from '../../core/vip/model';
import type { FeatureDeps } from '../../plumbing/commands';
import { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import { globalStoragePath } from '../../plumbing/storage';
import { TargetHintStore } from '../../plumbing/targetHintStore';
import { registerChangeNotices } from './changeNotices';
import { VipRoutesController } from './controller';
import { registerVipHealth } from './health';

/** What the VIP Routes capability shares: its provider (tests read it) and the discovery other views build on. */
export interface VipRoutes {
  provider: NodeTreeProvider;
  discovery: FeatureDeps['discovery'];
  refresh(): Promise<void>;
}

/**
 * The VIP Routes view (awsops.vipRoutes): every VIP route of the chosen regions and what is wrong with it, its
 * health badge and status-bar item, and notices of what changed between two discoveries. Its discovery is the
 * one every other view reuses, so it is registered first and loads when any view needs it.
 */
export function registerVipRoutes(deps: Omit<FeatureDeps, 'discovery'>, refreshAll: () => Promise<void>): VipRoutes {
  const provider = new NodeTreeProvider();
  const view = vscode.window.createTreeView('awsops.vipRoutes', { treeDataProvider: provider, showCollapseAll: true });
  const controller = new VipRoutesController(deps.context, provider, view, new TargetHintStore(globalStoragePath(deps.extension, 'target-hints.json')));
  deps.addRefresher(() => controller.refresh());
  deps.extension.subscriptions.push(
    view,
    // Load AWS data only once someone looks at the view.
    view.onDidChangeVisibility((e) => e.visible && provider.getRoots().length === 0 && void refreshAll()),
  );
  // After the other capabilities registered their refreshers: the first refresh then loads every visible view.
  if (view.visible) setImmediate(() => void refreshAll());
  const discovery = {
    latest: (): readonly RegionResult[] => controller.results,
    failures: () => controller.failures,
    inProgress: () => controller.inProgress,
    onDidChange: controller.onDidDiscover, refresh: () => controller.refresh(), idle: () => controller.idle() };
  deps.views.add({ id: 'awsops.vipRoutes', title: 'VIP Routes', view, provider });
  deps.poller.watch(view, discovery.refresh);
  registerVipHealth(deps, view, discovery);
  registerChangeNotices(deps, discovery);
  return { provider, discovery, refresh: discovery.refresh };
}
