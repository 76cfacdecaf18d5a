import * as vscode from 'vscode';
import type { AccountFailure } from './accountGroups';
import type { AwsContext } from './awsContext';
import type { RegionResult } from '../core/vip/model';
import type { Host } from './host';
import type { Mutations } from './mutations';
import type { Poller } from './poller';
import type { TreeNode } from './treeNode';
import type { Views } from './views';

/** What every feature (views + commands of one capability) gets from the composition root. */
export interface FeatureDeps {
  extension: vscode.ExtensionContext;
  context: AwsContext;
  log: vscode.LogOutputChannel;
  /** The current window seam (tests replace it). */
  host(): Host;
  /** VIP discovery results, shared so views built on them (pairs) never ask AWS twice. */
  discovery: {
    latest(): readonly RegionResult[];
    /** Accounts of a fleet that could not be read at all. */
    failures(): readonly AccountFailure[];
    /** A fleet refresh has delivered some accounts, not yet all (onDidChange fires for each). */
    inProgress(): boolean;
    onDidChange: vscode.Event<readonly RegionResult[]>;
    refresh(): Promise<void>;
    /** Resolves when no discovery is in flight. */
    idle(): Promise<void>;
  };
  /** Adds a view's refresh to awsops.refresh. */
  addRefresher(refresh: () => Promise<void>): void;
  /** Every tree view, for finding and revealing rows across views. */
  views: Views;
  /** Runs views' refreshes while they are visible. */
  poller: Poller;
  /** Knows when a command that changes AWS runs. */
  mutations: Mutations;
}

/** Registers a command whose failures reach the user and the log instead of vanishing. */
export function registerCommand(deps: Omit<FeatureDeps, 'discovery'>, id: string, run: (node?: TreeNode, nodes?: TreeNode[]) => Promise<unknown>): void {
  deps.extension.subscriptions.push(
    vscode.commands.registerCommand(id, (node?: TreeNode, nodes?: TreeNode[]) => guarded(deps, async () => void (await run(node, nodes)))),
  );
}

/**
 * Registers a command that changes AWS: with settings that cannot work (an unknown profile, a bad region or
 * endpoint, no credentials) it says what to fix and stops before any call. Otherwise it runs as a mutation:
 * polls speed up after it, and change notices leave out what it did.
 */
export function registerMutatingCommand(deps: FeatureDeps, id: string, run: (node?: TreeNode, nodes?: TreeNode[]) => Promise<unknown>): void {
  registerCommand(deps, id, async (node, nodes) => {
    const problems = await deps.context.problems();
    if (problems.length > 0) return void (await deps.host().error(`AWS Ops changed nothing: ${problems.join(' ')}`));
    return deps.mutations.run(() => run(node, nodes));
  });
}

/** Runs a body so that an unexpected error reaches the user and the log, never a silent rejection. */
export async function guarded(deps: Pick<FeatureDeps, 'log' | 'host'>, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    deps.log.error(message);
    void deps.host().error(`AWS Ops: ${message}`, 'Show Log').then((a) => a && deps.log.show());
  }
}
