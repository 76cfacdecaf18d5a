import * as vscode from 'vscode';
import type { CallRecord } from '../core/session/callLog';

/** The "AWS Ops" log. Only operation, region and outcome of calls reach it, never parameters or secrets. */
export function createLog(): vscode.LogOutputChannel {
  return vscode.window.createOutputChannel('AWS Ops', { log: true });
}

export function logCall(log: vscode.LogOutputChannel, r: CallRecord): void {
  const text = `${r.service}.${r.operation} ${r.region} ${r.ok ? 'ok' : `failed (${r.errorCode ?? 'error'})`} ${Math.round(r.ms)} ms`;
  if (r.ok) log.info(text);
  else log.warn(text);
}
