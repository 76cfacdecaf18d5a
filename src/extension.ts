import * as vscode from 'vscode';
import { AwsContext } from './awsContext';
import { selectProfile, selectRegions } from './commands/sessionCommands';
import { windowHost, type Host } from './host/host';
import { createLog } from './log';
import { IdentityStatus } from './status/identityStatus';
import { NodeTreeProvider } from './views/nodeTreeProvider';
import { VipRoutesController } from './views/vipRoutes/controller';

/** What activate() returns: the extension-host tests drive and inspect the product through it. */
export interface AwsOpsApi {
  vipRoutes: NodeTreeProvider;
  /** Replaces the window seam (prompts, modals, openExternal) — used by tests to answer prompts. */
  setHost(host: Host): void;
  /** Resolves when the refresh triggered by the last command or setting change has finished. */
  refresh(): Promise<void>;
}

/** Composition root: registers views and commands and returns. No AWS work happens here. */
export function activate(extension: vscode.ExtensionContext): AwsOpsApi {
  const started = performance.now();
  let host: Host = windowHost;
  const log = createLog();
  const context = new AwsContext(log);
  const identity = new IdentityStatus();
  const vipProvider = new NodeTreeProvider();
  const vipView = vscode.window.createTreeView('awsops.vipRoutes', { treeDataProvider: vipProvider, showCollapseAll: true });
  const vipRoutes = new VipRoutesController(context, vipProvider, vipView, identity);

  let pending: Promise<void> = Promise.resolve();
  const refresh = () => (pending = guarded(log, () => vipRoutes.refresh()));

  const command = (id: string, run: () => Promise<unknown>) =>
    vscode.commands.registerCommand(id, () => guarded(log, async () => void (await run())));
  extension.subscriptions.push(
    log,
    context,
    identity,
    vipView,
    command('awsops.refresh', refresh),
    command('awsops.selectProfile', () => selectProfile(context, host)),
    command('awsops.selectRegions', () => selectRegions(context, host)),
    command('awsops.showLog', async () => log.show()),
    context.onDidChange(() => void refresh()),
    // Load AWS data only once someone looks at the view.
    vipView.onDidChangeVisibility((e) => e.visible && vipProvider.getRoots().length === 0 && void refresh()),
  );
  if (vipView.visible) void refresh();

  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
  return { vipRoutes: vipProvider, setHost: (h) => (host = h), refresh: () => pending };
}

/** Runs a command body so that an unexpected error reaches the user and the log, never a silent rejection. */
async function guarded(log: vscode.LogOutputChannel, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log.error(message);
    void vscode.window.showErrorMessage(`AWS Ops: ${message}`, 'Show Log').then((a) => a && log.show());
  }
}

export function deactivate(): void {
  // Disposables registered in activate() clean up everything.
}
