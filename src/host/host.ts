import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { BACK, type Back, type InputStepOptions, type PickStepOptions, type StepItems, type StepOptions, type WizardIO } from './wizardIO';

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
  info: (message, ...actions) => Promise.resolve(vscode.window.showInformationMessage(message, ...actions)),
  warn: (message, ...actions) => Promise.resolve(vscode.window.showWarningMessage(message, ...actions)),
  error: (message, ...actions) => Promise.resolve(vscode.window.showErrorMessage(message, ...actions)),
  withProgress: (title, task) =>
    Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) =>
        task((message, increment) => progress.report({ message, increment }), token),
      ),
    ),
  // vscode.Uri.parse would re-encode the already-encoded Destination of a sign-in URL; strict parse keeps it.
  openExternal: (url) => Promise.resolve(vscode.env.openExternal(vscode.Uri.parse(url, true))),
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

/** The parts every step prompt shares: title, "step/total", a Back button past the first step, ignoring focus loss. */
function frame(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, options: StepOptions): void {
  input.title = options.title;
  input.step = options.step;
  input.totalSteps = options.totalSteps;
  input.buttons = options.canGoBack ? [vscode.QuickInputButtons.Back] : [];
  input.ignoreFocusOut = true;
}

/** Shows `input` until it settles: Back, hidden (cancel), or `accept` finishing with a value; then disposes it. */
function settleOn<R>(
  input: vscode.QuickInput & { onDidTriggerButton: vscode.Event<vscode.QuickInputButton> },
  accept: (finish: (value: R | Back | undefined) => void, fail: (error: unknown) => void) => void,
): Promise<R | Back | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (done: () => void) => {
      if (settled) return;
      settled = true;
      done();
      // Disposing hides it, and that second settle is ignored.
      input.dispose();
    };
    const finish = (value: R | Back | undefined) => settle(() => resolve(value));
    input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && finish(BACK));
    input.onDidHide(() => finish(undefined));
    accept(finish, (error) => settle(() => reject(error)));
    input.show();
  });
}

function pickStep<T extends vscode.QuickPickItem>(items: StepItems<T>, options: PickStepOptions): Promise<T | T[] | Back | undefined> {
  const pick = vscode.window.createQuickPick<T>();
  frame(pick, options);
  // A quick pick has no validation message: a refused pick says why where the placeholder goes.
  pick.placeholder = options.problem ? `⚠ ${options.problem}` : options.placeholder;
  pick.canSelectMany = options.canPickMany ?? false;
  pick.matchOnDescription = options.matchOnDescription ?? false;
  pick.busy = true;
  return settleOn<T | T[]>(pick, (finish, fail) => {
    pick.onDidAccept(() => {
      if (pick.busy) return;
      if (pick.canSelectMany) finish([...pick.selectedItems]);
      else if (pick.activeItems[0]) finish(pick.activeItems[0]);
    });
    Promise.resolve(items).then((loaded) => {
      pick.items = loaded;
      const picked = loaded.filter((item) => item.picked);
      if (pick.canSelectMany) pick.selectedItems = picked;
      else if (picked.length > 0) pick.activeItems = picked.slice(0, 1);
      pick.busy = false;
    }, fail);
  });
}

function inputStep(options: InputStepOptions): Promise<string | Back | undefined> {
  const box = vscode.window.createInputBox();
  frame(box, options);
  box.value = options.value ?? '';
  box.prompt = options.prompt;
  box.placeholder = options.placeholder;
  box.validationMessage = options.problem;
  return settleOn<string>(box, (finish) => {
    box.onDidChangeValue((value) => (box.validationMessage = options.validate?.(value)));
    box.onDidAccept(() => {
      const problem = options.validate?.(box.value);
      if (problem) box.validationMessage = problem;
      else finish(box.value);
    });
  });
}
