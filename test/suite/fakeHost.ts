import * as vscode from 'vscode';
import type { Host } from '../../src/plumbing/host';
import { BACK, type Back, type InputStepOptions, type PickStepOptions, type StepItems } from '../../src/plumbing/wizardIO';

/**
 * A Host that answers prompts from a script and records everything the product showed, so extension-host
 * tests can drive commands without a person. Each quick pick, input box or modal confirm takes the next
 * scripted answer: label(s) to pick, text to enter, or the action to choose; `undefined` cancels. A prompt with
 * no answer left, or a label that is not offered, is recorded in `unexpected` and cancelled, so a test sees it
 * instead of hanging. Steps of a multi-step flow take answers from the same script: BACK presses their Back
 * button, and a typed value their validation refuses is recorded in `refused` before the next answer is typed.
 */
export type Answer = string | string[] | Back | undefined;

export interface Shown {
  kind: 'quickPick' | 'inputBox' | 'confirm' | 'info' | 'warn' | 'error';
  /** The title, prompt or message. */
  text: string;
  /** Quick pick labels, or the actions a message offered. */
  options: string[];
  /** A message's detail, an input box's prompt, or why a step refused the previous answer. */
  detail?: string;
}

export class FakeHost implements Host {
  readonly shown: Shown[] = [];
  readonly unexpected: Shown[] = [];
  readonly progress: string[] = [];
  readonly opened: string[] = [];
  readonly clipboard: string[] = [];
  /** Why step prompts refused typed answers, in order. */
  readonly refused: string[] = [];
  /** Files "saved" through the Save As seam. */
  readonly saved: Array<{ name: string; content: string }> = [];
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
    const answer = this.next({ kind: 'quickPick', text: options?.title ?? options?.placeHolder ?? '', options: items.map((item) => item.label) });
    const picked = answer === BACK ? this.cancel('Back pressed on a prompt without a Back button') : this.pick(items, answer);
    return options?.canPickMany ? picked : picked?.[0];
  }) as Host['showQuickPick'];

  async showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    const answer = this.next({ kind: 'inputBox', text: options.title ?? options.prompt ?? '', options: [], detail: options.prompt });
    if (answer === BACK) return this.cancel('Back pressed on a prompt without a Back button');
    return Array.isArray(answer) ? answer[0] : answer;
  }

  pickStep = (async (items: StepItems<vscode.QuickPickItem>, options: PickStepOptions<vscode.QuickPickItem>) => {
    const loaded = await items;
    const prompt: Shown = { kind: 'quickPick', text: `${options.title} (${options.step}/${options.totalSteps}): ${options.placeholder ?? ''}`, options: loaded.map((item) => item.label) };
    const picked = await this.step(prompt, options.canGoBack, (answer) => this.pick(loaded, answer), async (chosen) => options.check?.(chosen));
    return picked === undefined || picked === BACK || options.canPickMany ? picked : picked[0];
  }) as Host['pickStep'];

  inputStep(options: InputStepOptions): Promise<string | Back | undefined> {
    const prompt: Shown = { kind: 'inputBox', text: `${options.title} (${options.step}/${options.totalSteps}): ${options.prompt ?? ''}`, options: [] };
    const typed = (answer: string | string[] | undefined) => (Array.isArray(answer) ? answer[0] : answer);
    return this.step(prompt, options.canGoBack, typed, async (text) => options.validate?.(text) ?? (await options.check?.(text)));
  }

  /**
   * One step of a multi-step flow, as a person answers it: a refused answer keeps the prompt open with the
   * reason (recorded in `refused` and as the next prompt's detail), and the next scripted answer is tried.
   */
  private async step<A>(
    prompt: Shown,
    canGoBack: boolean,
    read: (answer: string | string[] | undefined) => A | undefined,
    refusal: (answer: A) => Promise<string | undefined>,
  ): Promise<A | Back | undefined> {
    for (let problem: string | undefined; ; ) {
      const answer = this.next({ ...prompt, detail: problem });
      if (answer === BACK) return canGoBack ? BACK : this.cancel(`Back pressed on the first step: ${prompt.text}`);
      const value = read(answer);
      if (value === undefined) return undefined;
      problem = await refusal(value);
      if (problem === undefined) return value;
      this.refused.push(problem);
    }
  }

  async saveFile(defaultName: string, content: string): Promise<string | undefined> {
    this.saved.push({ name: defaultName, content });
    return defaultName;
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

  /** The items the answer names by label; naming an item that is not offered is unexpected, and cancels. */
  private pick<T extends vscode.QuickPickItem>(items: readonly T[], answer: string | string[] | undefined): T[] | undefined {
    if (answer === undefined) return undefined;
    const wanted = Array.isArray(answer) ? answer : [answer];
    const picked = items.filter((item) => wanted.includes(item.label));
    return picked.length === wanted.length ? picked : this.cancel(`no item ${JSON.stringify(wanted)} among ${JSON.stringify(items.map((item) => item.label))}`);
  }

  private cancel(why: string): undefined {
    this.unexpected.push({ kind: 'quickPick', text: why, options: [] });
    return undefined;
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
