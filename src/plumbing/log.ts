import * as vscode from 'vscode';
import { redact } from '../core/console/redact';
import type { CallRecord } from '../core/session/callLog';

const WRITES = new Set<PropertyKey>(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The "AWS Ops" log. Only operation, region and outcome of calls reach it, never parameters or secrets; every
 * line is scrubbed on the way in (command lines, secret flags, keys, tokens), whoever writes it.
 */
export function createLog(): vscode.LogOutputChannel {
  const channel = vscode.window.createOutputChannel('AWS Ops', { log: true });
  return new Proxy(channel, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (!WRITES.has(property) || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (message: unknown, ...args: unknown[]) => value.call(target, redact(message instanceof Error ? message.message : String(message)), ...args.map((a) => redact(String(a))));
    },
  });
}

export function logCall(log: vscode.LogOutputChannel, r: CallRecord): void {
  const text = `${r.service}.${r.operation} ${r.region} ${r.ok ? 'ok' : `failed (${r.errorCode ?? 'error'})`} ${Math.round(r.ms)} ms`;
  if (r.ok) log.info(text);
  else log.warn(text);
}
