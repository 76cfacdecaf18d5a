import * as vscode from 'vscode';
import { guarded, type FeatureDeps } from '../../plumbing/commands';
import { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import { registerAgentCommands, syncHolidaysOnChange } from './agentCommands';
import { registerJumpboxCommands } from './commands';
import { JumpboxesController } from './controller';
import { registerOverrideCommands } from './overrideCommands';

const FIRST_LOAD_YIELD_MS = 1000;

/** The Jumpboxes view (awsops.jumpboxes) and its commands: start/stop, DNS fix, work-hours schedule, the agent, overrides. */
export function registerJumpboxes(deps: FeatureDeps): { provider: NodeTreeProvider; refresh(): Promise<void> } {
  const provider = new NodeTreeProvider();
  const view = vscode.window.createTreeView('awsops.jumpboxes', { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const controller = new JumpboxesController(deps.context, provider, view);
  // The first load lets the VIP discovery in flight answer first (for at most a second): the extension host parses
  // every answer on one thread, and the VIP Routes view is the one operators open the side bar for.
  const refresh = async () => {
    if (!controller.loaded) await Promise.race([deps.discovery.idle(), new Promise((r) => setTimeout(r, FIRST_LOAD_YIELD_MS))]);
    return controller.refresh();
  };
  registerJumpboxCommands(deps, controller);
  registerAgentCommands(deps, controller);
  registerOverrideCommands(deps, controller);
  deps.addRefresher(refresh);
  deps.views.add({ id: 'awsops.jumpboxes', title: 'Jumpboxes', view, provider });
  deps.poller.watch(view, refresh);
  deps.extension.subscriptions.push(
    view,
    syncHolidaysOnChange(deps, controller),
    // Ask AWS only once someone looks at the view.
    view.onDidChangeVisibility((e) => e.visible && !controller.loaded && void guarded(deps, refresh)),
  );
  // After activate() returns: by then the VIP view has started its discovery if it is visible.
  if (view.visible) setImmediate(() => void guarded(deps, refresh));
  return { provider, refresh };
}
