import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { redact } from '../core/console/redact';
import { unlinkMessage } from '../core/text/markdown';
import { BACK, type Back, type InputStepOptions, type PickStepOptions, type StepCheck, type StepItems, type StepOptions, type WizardIO } from './wizardIO';

/**
 * The slice of the VS Code window/env API that commands use. Commands take a Host so the extension-host
 * tests can answer prompts and capture opened URLs without a person at the keyboard.
 */
export interface Host extends WizardIO {
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { canPickMany: true }): Promise<T[] | undefined>;
  showQuickPick<T extends vscode.QuickPickItem>(items: readonly T[], options?: vscode.QuickPickOptions): Promise<T | undefined>;
  showInputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  /** A modal warning: resolves to the chosen action's title, or undefined when cancelled. */
  confirm(message: string, detail: string, ...actions: string[]): Promise<string | undefined>;
  info(message: string, ...actions: string[]): Promise<string | undefined>;
  warn(message: string, ...actions: string[]): Promise<string | undefined>;
  error(message: string, ...actions: string[]): Promise<string | undefined>;
  withProgress<T>(title: string, task: (report: (message: string, increment?: number) => void, token: vscode.CancellationToken) => Promise<T>): Promise<T>;
  openExternal(url: string): Promise<boolean>;
  copyToClipboard(text: string): Promise<void>;
  /** Asks where to save `content` (a Save As dialog) and writes it; resolves the path, or undefined when cancelled. */
  saveFile(defaultName: string, content: string, filters?: Record<string, string[]>): Promise<string | undefined>;
}

export const windowHost: Host = {
  showQuickPick: ((items: readonly vscode.QuickPickItem[], options?: vscode.QuickPickOptions) =>
    Promise.resolve(vscode.window.showQuickPick(items, options))) as Host['showQuickPick'],
  showInputBox: (options) => Promise.resolve(vscode.window.showInputBox(options)),
  confirm: (message, detail, ...actions) => Promise.resolve(vscode.window.showWarningMessage(message, { modal: true, detail }, ...actions)),
  // Notifications turn "[x](command:…)" into links: messages carry names from tags and errors from AWS.
  info: (message, ...actions) => Promise.resolve(vscode.window.showInformationMessage(unlinkMessage(message), ...actions)),
  warn: (message, ...actions) => Promise.resolve(vscode.window.showWarningMessage(unlinkMessage(message), ...actions)),
  error: (message, ...actions) => Promise.resolve(vscode.window.showErrorMessage(unlinkMessage(message), ...actions)),
  withProgress: (title, task) =>
    Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: unlinkMessage(title), cancellable: true }, (progress, token) =>
        task((message, increment) => progress.report({ message: unlinkMessage(message), increment }), token),
      ),
    ),
  // The string itself, which the workbench opens as it is: a Uri (even strictly parsed) is decoded and encoded
  // again on its way to the browser (microsoft/vscode#85930), which moves the query and fragment of a sign-in
  // URL's Destination into its path. The API declares Uri only; ExtHostWindow.openUri takes a string too.
  openExternal: (url) => Promise.resolve(vscode.env.openExternal(url as unknown as vscode.Uri)),
  copyToClipboard: (text) => Promise.resolve(vscode.env.clipboard.writeText(text)),
  pickStep: pickStep as Host['pickStep'],
  inputStep,
  saveFile: async (defaultName, content, filters) => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(folder, path.basename(defaultName)), filters });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
    return target.scheme === 'file' ? target.fsPath : target.toString();
  },
};

/**
 * The host with warnings and errors scrubbed of secrets (command lines, secret flags, keys, tokens): they carry
 * text from AWS, from credential processes and from exceptions. Info messages carry only AWS Ops' own words.
 */
export function redactingHost(host: Host): Host {
  return new Proxy(host, {
    get(target, property, receiver) {
      if (property !== 'warn' && property !== 'error') return Reflect.get(target, property, receiver);
      return (message: string, ...actions: string[]) => target[property](redact(message), ...actions);
    },
  });
}

/** The parts every step prompt shares: title, "step/total", a Back button past the first step, ignoring focus loss. */
function frame(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, options: StepOptions): void {
  input.title = options.title;
  input.step = options.step;
  input.totalSteps = options.totalSteps;
  input.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  input.ignoreFocusOut = true;
}

/**
 * Shows `input` until it settles: Back, hidden (cancel), an accepted answer, or an error (of `check`, or of
 * `loading` the items). On Enter, `answer` reads the answer (undefined ignores the Enter); `check` runs with
 * the prompt busy and locked, and a refusal is shown through `refuse` while the prompt stays open.
 */
function runStep<A>(
  input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
  answer: () => A | undefined,
  check: StepCheck<A> | undefined,
  refuse: (problem: string) => void,
  loading?: Promise<unknown>,
): Promise<A | Back | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      // Disposing hides it, and that second settle is ignored.
      input.dispose();
    };
    input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && settle(() => resolve(BACK)));
    input.onDidHide(() => settle(() => resolve(undefined)));
    input.onDidAccept(async () => {
      const value = input.busy ? undefined : answer();
      if (value === undefined) return;
      input.busy = true;
      input.enabled = false;
      try {
        const problem = await check?.(value);
        if (problem === undefined) return settle(() => resolve(value));
        input.busy = false;
        input.enabled = true;
        refuse(problem);
      } catch (error) {
        settle(() => reject(error));
      }
    });
    loading?.catch((error) => settle(() => reject(error)));
    input.show();
  });
}

function pickStep<T extends vscode.QuickPickItem>(items: StepItems<T>, options: PickStepOptions<T>): Promise<T | T[] | Back | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  frame(pick, options);
  pick.placeholder = options.placeholder;
  pick.canSelectMany = options.canPickMany ?? false;
  pick.matchOnDescription = options.matchOnDescription ?? false;
  pick.busy = true;
  const loading = Promise.resolve(items).then((loaded) => {
    pick.items = loaded;
    const picked = loaded.filter((item) => item.picked);
    if (pick.canSelectMany) pick.selectedItems = picked;
    else if (picked.length > 0) pick.activeItems = picked.slice(0, 1);
    pick.busy = false;
  });
  const chosen = () => (pick.canSelectMany ? [...pick.selectedItems] : pick.activeItems.length > 0 ? pick.activeItems.slice(0, 1) : undefined);
  const refuse = (problem: string) => {
    // A quick pick has no validation message: the refusal goes where the placeholder is, over a cleared filter.
    pick.value = '';
    pick.placeholder = `⚠ ${problem}`;
  };
  return runStep<readonly T[]>(pick, chosen, options.check, refuse, loading).then((answer) =>
    answer === undefined || answer === BACK ? answer : pick.canSelectMany ? [...answer] : answer[0],
  );
}

function inputStep(options: InputStepOptions): Promise<string | Back | undefined> {
  const box = vscode.window.createInputBox();
  frame(box, options);
  box.value = options.value ?? '';
  box.prompt = options.prompt;
  box.placeholder = options.placeholder;
  box.onDidChangeValue((value) => (box.validationMessage = options.validate?.(value)));
  const typed = () => {
    box.validationMessage = options.validate?.(box.value);
    return box.validationMessage ? undefined : box.value;
  };
  return runStep(box, typed, options.check, (problem) => (box.validationMessage = problem));
}
