import * as vscode from 'vscode';

/**
 * Knows when a command that changes AWS runs. Polls speed up after one (its consequences — a pending instance,
 * keepalived reacting — show within seconds), and change notices do not report what the user just did.
 */
export class Mutations implements vscode.Disposable {
  private running = 0;
  private count = 0;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a mutating command starts and when it ends. */
  readonly onDidChange = this.changed.event;

  async run<T>(body: () => Promise<T>): Promise<T> {
    this.running++;
    this.count++;
    this.changed.fire();
    try {
      return await body();
    } finally {
      this.running--;
      this.changed.fire();
    }
  }

  /** True while a mutating command runs. */
  get busy(): boolean {
    return this.running > 0;
  }

  /** How many mutating commands have started: a caller notes it to tell whether one ran since. */
  get started(): number {
    return this.count;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
