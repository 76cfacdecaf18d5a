/**
 * What every command that deploys a stack through a change set shows (provisioning a pair, installing the
 * jumpbox agent): the change set resource by resource for review, then the stack events as cancellable progress.
 */
import type * as vscode from 'vscode';
import type { ChangeAction, PlannedChange } from '../core/provision/changeSet';
import type { StackEvent, WatchOptions } from '../core/provision/stackWatch';
import type { Aws } from '../aws/load';
import type { Host } from './host';

const ACTION_WORDS: Record<ChangeAction, string> = {
  add: 'add',
  modify: 'modify',
  replace: 'replace',
  'maybe-replace': 'may replace',
  remove: 'remove',
  other: 'change',
};

/** The confirm modal's detail: the action counts, then one line per resource. */
export function changeSetDetail(changes: readonly PlannedChange[]): string {
  const counts = new Map<ChangeAction, number>();
  for (const change of changes) counts.set(change.action, (counts.get(change.action) ?? 0) + 1);
  const totals = [...counts].map(([action, count]) => `${count} ${ACTION_WORDS[action]}`).join(', ');
  const lines = [...changes]
    .sort((a, b) => a.action.localeCompare(b.action) || a.logicalId.localeCompare(b.logicalId))
    .map((c) => `${ACTION_WORDS[c.action]}  ${c.logicalId}  (${c.resourceType})${c.physicalId ? ` ${c.physicalId}` : ''}`);
  return [`Change set: ${totals || 'no changes'}.`, '', ...lines].join('\n');
}

export function stackEventLine(event: StackEvent): string {
  return `${event.logicalId} ${event.status}${event.reason ? `: ${event.reason}` : ''}`;
}

/** The progress bar's share of one event: each resource that finished is one step of `resources`. */
export function progressShare(event: StackEvent, resources: number): number {
  const done = event.resourceType !== 'AWS::CloudFormation::Stack' && /^(CREATE|UPDATE|DELETE)_COMPLETE$/.test(event.status);
  return done && resources > 0 ? 100 / resources : 0;
}

/**
 * Runs a stack operation under a cancellable progress notification that shows each stack event; undefined when
 * the user cancelled (CloudFormation carries on: the caller says so).
 */
export async function followStack<T>(host: Host, title: string, resources: number, run: (options: WatchOptions) => Promise<T>): Promise<T | undefined> {
  return host.withProgress(title, (report, token) =>
    untilCancelled(token, (signal) => run({ signal, onEvent: (event) => report(stackEventLine(event), progressShare(event, resources)) })),
  );
}

/** Runs `task` with a signal that fires when the user cancels the progress notification; undefined then. */
async function untilCancelled<T>(token: vscode.CancellationToken, task: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  const abort = new AbortController();
  const subscription = token.onCancellationRequested(() => abort.abort());
  try {
    return await task(abort.signal);
  } catch (error) {
    if (abort.signal.aborted) return undefined;
    throw error;
  } finally {
    subscription.dispose();
  }
}

/** A change-set failure said for the user: a ProvisionError carries its own words, anything else is explained. */
export function stackErrorText(aws: Aws, error: unknown): string {
  if (error instanceof aws.ProvisionError) return error.hint ? `${error.message} ${error.hint}` : error.message;
  const explained = aws.explainError(error);
  return `${explained.code}: ${explained.message}. ${explained.hint}`;
}
