import * as vscode from 'vscode';
import { registerConsole } from './features/console';
import { registerGoTo } from './features/goTo';
import { registerJumpboxes } from './features/jumpboxes';
import { registerPairs } from './features/pairs';
import { registerProvisioning } from './features/provision';
import { registerSession } from './features/session';
import { registerVipRoutes } from './features/vipRoutes';
import { bundleLoadMs, useCompileCache } from './aws/load';
import { AwsContext } from './plumbing/awsContext';
import { guarded, registerCommand, type FeatureDeps } from './plumbing/commands';
import { redactingHost, windowHost, type Host } from './plumbing/host';
import { createLog } from './plumbing/log';
import { globalStoragePath } from './plumbing/storage';
import { Mutations } from './plumbing/mutations';
import type { NodeTreeProvider } from './plumbing/nodeTreeProvider';
import { Poller } from './plumbing/poller';
import { Views } from './plumbing/views';

/** What activate() returns: the extension-host tests drive and inspect the product through it. */
export interface AwsOpsApi {
  vipRoutes: NodeTreeProvider;
  jumpboxes: NodeTreeProvider;
  pairs: NodeTreeProvider;
  /** Replaces the window seam (prompts, modals, openExternal) — used by tests to answer prompts. */
  setHost(host: Host): void;
  /** How long activate() itself took, in ms (the benchmark reads it). */
  activationMs: number;
  /** performance.now() when activate() began, on the extension host's clock (the benchmark times first rows from it). */
  activationStartedAt: number;
  /** How long requiring each AWS bundle took so far, in ms, by file (the benchmark reads it). */
  bundleLoadMs(): Record<string, number>;
  /** Where the "AWS Ops" log is written (tests scan it for secrets). */
  logUri: vscode.Uri;
  /** Resolves when the refresh triggered by the last command or setting change has finished. */
  refresh(): Promise<void>;
  /** The tree views (tests read their selection and badge). */
  views: Views;
}

/** Composition root: builds the shared plumbing, registers each capability and returns. No AWS work happens here. */
export function activate(extension: vscode.ExtensionContext): AwsOpsApi {
  const started = performance.now();
  // Node ≥ 22 keeps the AWS bundles' compiled code there, so later sessions show their first rows sooner.
  const compileCache = globalStoragePath(extension, 'compile-cache');
  if (compileCache) useCompileCache(compileCache);
  let host: Host = redactingHost(windowHost);
  const log = createLog();
  const context = new AwsContext(log, (serial) =>
    host.showInputBox({ title: 'AWS Ops: MFA code', prompt: serial, ignoreFocusOut: true, validateInput: (v) => (/^\d{6}$/.test(v) ? undefined : 'Enter the 6-digit code.') }),
  );
  const mutations = new Mutations();
  const poller = new Poller(log, mutations);
  const views = new Views();
  extension.subscriptions.push(log, context, mutations, poller);

  const refreshers: Array<() => Promise<void>> = [];
  let pending: Promise<void> = Promise.resolve();
  const refresh = () => {
    poller.refreshed();
    return (pending = Promise.all(refreshers.map((r) => guarded({ log, host: () => host }, r))).then(() => undefined));
  };
  const base = { extension, context, log, host: () => mutations.reporting(host), addRefresher: (r: () => Promise<void>) => void refreshers.push(r), views, poller, mutations };
  // VIP discovery first: the other views are built on its results.
  const vipRoutes = registerVipRoutes(base, refresh);
  const deps: FeatureDeps = { ...base, discovery: vipRoutes.discovery };
  registerSession(deps);
  const jumpboxes = registerJumpboxes(deps);
  const pairs = registerPairs(deps);
  registerProvisioning(deps);
  registerConsole(deps);
  registerGoTo(deps);
  registerCommand(deps, 'awsops.refresh', refresh);
  extension.subscriptions.push(context.onDidChange(() => void refresh()));

  const activationMs = performance.now() - started;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  return {
    activationMs,
    activationStartedAt: started,
    bundleLoadMs,
    vipRoutes: vipRoutes.provider,
    jumpboxes: jumpboxes.provider,
    pairs: pairs.provider,
    logUri: extension.logUri,
    views,
    setHost: (h) => (host = redactingHost(h)),
    // The Pairs view is rebuilt from the discovery the refresh ran: wait for that too.
    refresh: () => pending.then(() => pairs.refresh()),
  };
}

export function deactivate(): void {
  // Disposables registered in activate() clean up everything.
}
