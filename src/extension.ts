import * as vscode from 'vscode';
import { AwsContext } from './awsContext';
import { openConsole, openInConsole } from './commands/console/openConsole';
import { guarded, registerCommand, type FeatureDeps } from './commands/register';
import { selectProfile, selectRegions } from './commands/sessionCommands';
import { windowHost, type Host } from './host/host';
import { registerJumpboxes } from './features/jumpboxes';
import { registerPairs } from './features/pairs';
import { registerProvisioning } from './features/provision';
import { createLog } from './log';
import { IdentityStatus } from './status/identityStatus';
import { NodeTreeProvider } from './views/nodeTreeProvider';
import { VipRoutesController } from './views/vipRoutes/controller';

/** What activate() returns: the extension-host tests drive and inspect the product through it. */
export interface AwsOpsApi {
  vipRoutes: NodeTreeProvider;
  jumpboxes: NodeTreeProvider;
  pairs: NodeTreeProvider;
  /** Replaces the window seam (prompts, modals, openExternal) — used by tests to answer prompts. */
  setHost(host: Host): void;
  /** How long activate() itself took, in ms (the benchmark reads it). */
  activationMs: number;
  /** Where the "AWS Ops" log is written (tests scan it for secrets). */
  logUri: vscode.Uri;
  /** Resolves when the refresh triggered by the last command or setting change has finished. */
  refresh(): Promise<void>;
}

/** Composition root: registers views and commands and returns. No AWS work happens here. */
export function activate(extension: vscode.ExtensionContext): AwsOpsApi {
  const started = performance.now();
  let host: Host = windowHost;
  const log = createLog();
  const context = new AwsContext(log, (serial) =>
    host.showInputBox({ title: 'AWS Ops: MFA code', prompt: serial, ignoreFocusOut: true, validateInput: (v) => (/^\d{6}$/.test(v) ? undefined : 'Enter the 6-digit code.') }),
  );
  const identity = new IdentityStatus();
  const vipProvider = new NodeTreeProvider();
  const vipView = vscode.window.createTreeView('awsops.vipRoutes', { treeDataProvider: vipProvider, showCollapseAll: true });
  const vipRoutes = new VipRoutesController(context, vipProvider, vipView, identity);
  extension.subscriptions.push(log, context, identity, vipView);

  const refreshers: Array<() => Promise<void>> = [() => vipRoutes.refresh()];
  let pending: Promise<void> = Promise.resolve();
  const refresh = () => (pending = Promise.all(refreshers.map((r) => guarded({ log, host: () => host }, r))).then(() => undefined));
  const deps: FeatureDeps = {
    extension,
    context,
    log,
    host: () => host,
    discovery: { latest: () => vipRoutes.results, onDidChange: vipRoutes.onDidDiscover },
    addRefresher: (r) => refreshers.push(r),
  };
  const jumpboxes = registerJumpboxes(deps);
  const pairs = registerPairs(deps);
  registerProvisioning(deps);

  registerCommand(deps, 'awsops.refresh', refresh);
  registerCommand(deps, 'awsops.selectProfile', () => selectProfile(context, host));
  registerCommand(deps, 'awsops.selectRegions', () => selectRegions(context, host));
  registerCommand(deps, 'awsops.showLog', async () => log.show());
  registerCommand(deps, 'awsops.openConsole', () => openConsole(context, host));
  registerCommand(deps, 'awsops.openInConsole', (node) => openInConsole(context, host, node));
  extension.subscriptions.push(
    context.onDidChange(() => void refresh()),
    // Load AWS data only once someone looks at the view.
    vipView.onDidChangeVisibility((e) => e.visible && vipProvider.getRoots().length === 0 && void refresh()),
  );
  if (vipView.visible) void refresh();

  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    vipRoutes: vipProvider,
    jumpboxes: jumpboxes.provider,
    pairs: pairs.provider,
    logUri: extension.logUri,
    setHost: (h) => (host = h),
    // The Pairs view is rebuilt from the discovery the refresh ran: wait for that too.
    refresh: () => pending.then(() => pairs.refresh()),
  };
}

export function deactivate(): void {
  // Disposables registered in activate() clean up everything.
}
