import * as vscode from 'vscode';

/**
 * The slice of the VS Code window/env API that commands use. Commands take a Host so the extension-host
 * tests can answer prompts and capture opened URLs without a person at the keyboard.
 */
export interface Host {
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
};
