import * as vscode from 'vscode';

/** A path under the extension's global storage, or undefined when that storage is not on the extension host's disk. */
export function globalStoragePath(extension: vscode.ExtensionContext, name: string): string | undefined {
  return extension.globalStorageUri.scheme === 'file' ? vscode.Uri.joinPath(extension.globalStorageUri, name).fsPath : undefined;
}
