import * as vscode from 'vscode';
import { guarded, type FeatureDeps } from '../../plumbing/commands';
import { NodeTreeProvider } from '../../plumbing/nodeTreeProvider';
import { registerAgentCommands, syncHolidaysOnChange } from './agentCommands';
import { registerJumpboxCommands } from './commands';
import { JumpboxesController } from './controller';
import { registerOverrideCommands } from './overrideCommands';

/** The Jumpboxes view (awsops.jumpboxes) and its commands: start/stop, DNS fix, work-hours schedule, the agent, overrides. */
export function registerJumpboxes(deps: FeatureDeps): { provider: NodeTreeProvider; refresh(): Promise<void> } {
  const provider = new NodeTreeProvider();
  const view = vscode.window.createTreeView('awsops.jumpboxes', { treeDataProvider: provider, canSelectMany: true, showCollapseAll: true });
  const controller = new JumpboxesController(deps.context, provider, view);
  const refresh = () => controller.refresh();
  registerJumpboxCommands(deps, controller);
  registerAgentCommands(deps, controller);
  registerOverrideCommands(deps, controller);
  deps.addRefresher(refresh);
  deps.extension.subscriptions.push(
    view,
    syncHolidaysOnChange(deps, controller),
    // Ask AWS only once someone looks at the view.
    view.onDidChangeVisibility((e) => e.visible && !controller.loaded && void guarded(deps, refresh)),
  );
  if (view.visible) void guarded(deps, refresh);
  return { provider, refresh };
}
