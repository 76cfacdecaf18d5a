import * as vscode from 'vscode';
import type { Host } from '../../src/host/host';

/**
 * A Host that answers prompts from a script and records everything the product showed, so extension-host
 * tests can drive commands without a person. Each quick pick, input box or modal confirm takes the next
 * scripted answer: label(s) to pick, text to enter, or the action to choose; `undefined` cancels. A prompt with
 * no answer left, or a label that is not offered, is recorded in `unexpected` and cancelled, so a test sees it
 * instead of hanging.
 */
export type Answer = string | string[] | undefined;

export interface Shown {
  kind: 'quickPick' | 'inputBox' | 'confirm' | 'info' | 'warn' | 'error';
  /** The title, prompt or message. */
  text: string;
  /** Quick pick labels, or the actions a message offered. */
  options: string[];
  detail?: string;
}

export class FakeHost implements Host {
  readonly shown: Shown[] = [];
  readonly unexpected: Shown[] = [];
  readonly progress: string[] = [];
  readonly opened: string[] = [];
  readonly clipboard: string[] = [];
  private readonly answers: Answer[];

  /** `clicks`: actions to click when a notification offers them (e.g. "Copy SSH command"). */
  constructor(answers: Answer[] = [], private readonly clicks: readonly string[] = []) {
    this.answers = [...answers];
  }

  /** Messages (info/warn/error) of one kind, or all. */
  messages(kind?: 'info' | 'warn' | 'error'): string[] {
    return this.shown.filter((s) => (kind ? s.kind === kind : ['info', 'warn', 'error'].includes(s.kind))).map((s) => s.text);
  }

  showQuickPick = (async (items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) => {
    const labels = items.map((item) => item.label);
    const answer = this.next({ kind: 'quickPick', text: options?.title ?? options?.placeHolder ?? '', options: labels });
    if (answer === undefined) return undefined;
    const wanted = Array.isArray(answer) ? answer : [answer];
    const picked = items.filter((item) => wanted.includes(item.label));
    if (picked.length !== wanted.length) {
      this.unexpected.push({ kind: 'quickPick', text: `no item ${JSON.stringify(wanted)}`, options: labels });
      return undefined;
    }
    return options?.canPickMany ? picked : picked[0];
  }) as Host['showQuickPick'];

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const answer = this.next({ kind: 'inputBox', text: options.title ?? options.prompt ?? '', options: [] });
    return Array.isArray(answer) ? answer[0] : answer;
  }

  async confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined> {
    const answer = this.next({ kind: 'confirm', text: message, detail, options: actions });
    return typeof answer === 'string' && actions.includes(answer) ? answer : undefined;
  }

  info = (message: string, ...actions: string[]) => this.message('info', message, actions);
  warn = (message: string, ...actions: string[]) => this.message('warn', message, actions);
  error = (message: string, ...actions: string[]) => this.message('error', message, actions);

  async withProgress<T>(title: string, task: (report: (message: string, increment?: number) => void, token: vscode.CancellationToken) => Promise<T>): Promise<T> {
    this.progress.push(title);
    const source = new vscode.CancellationTokenSource();
    try {
      return await task((message) => this.progress.push(message), source.token);
    } finally {
      source.dispose();
    }
  }

  async openExternal(url: string): Promise<boolean> {
    this.opened.push(url);
    return true;
  }

  async copyToClipboard(text: string): Promise<void> {
    this.clipboard.push(text);
  }

  private async message(kind: 'info' | 'warn' | 'error', text: string, actions: string[]): Promise<string | undefined> {
    this.shown.push({ kind, text, options: actions });
    return actions.find((action) => this.clicks.includes(action));
  }

  private next(prompt: Shown): Answer {
    this.shown.push(prompt);
    if (this.answers.length === 0) {
      this.unexpected.push(prompt);
      return undefined;
    }
    return this.answers.shift();
  }
}
