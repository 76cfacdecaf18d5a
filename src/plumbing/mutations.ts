import * as vscode from 'vscode';
import type { Host } from './host';

const REPORTS = new Set<PropertyKey>(['info', 'warn', 'error']);

/**
 * Knows when a command that changes AWS runs. Polls speed up after one (its consequences — a pending instance,
 * keepalived reacting — show within seconds), and change notices do not report what the user just did.
 * A command's mutating phase ends when it reports (its first message) or returns, whichever comes first: it
 * awaits its report until the user dismisses it, long after AWS stopped changing.
 */
export class Mutations implements vscode.Disposable {
  private readonly active = new Set<object>();
  private count = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a mutating command starts and when its mutating phase ends. */
  readonly onDidChange = this.changed.event;

  async run<T>(body: () => Promise<T>): Promise<T> {
    const token = {};
    this.active.add(token);
    this.count++;
    this.changed.fire();
    try {
      return await body();
    } finally {
      if (this.active.delete(token)) this.changed.fire();
    }
  }

  /** True while a mutating command has neither reported nor returned. */
  get busy(): boolean {
    return this.active.size > 0;
  }

  /** How many mutating commands have started: a caller notes it to tell whether one ran since. */
  get started(): number {
    return this.count;
  }

  /** The host as commands see it: a message shown while mutating commands run is their report, ending their phase. */
  reporting(host: Host): Host {
    return new Proxy(host, {
      get: (target, key) => {
        const value: unknown = Reflect.get(target, key);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (REPORTS.has(key) && this.active.size > 0) {
            this.active.clear();
            this.changed.fire();
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }

  dispose(): void {
    this.changed.dispose();
  }
}
