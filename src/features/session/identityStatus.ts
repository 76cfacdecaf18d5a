import * as vscode from 'vscode';
import type { Identity } from '../../plumbing/awsContext';

/** Shows who the extension acts as (profile, account) so a mutating command is never run in the wrong account. */
export class IdentityStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('awsops.identity', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'AWS Ops identity';
    this.item.command = 'awsops.selectProfile';
  }

  show(profile: string | undefined, identity: Identity | undefined, endpointUrl?: string): void {
    const who = identity ? identity.account : 'unknown account';
    this.item.command = 'awsops.selectProfile';
    this.item.text = `$(cloud) ${profile ?? 'default'} · ${who}`;
    this.item.tooltip = [identity?.arn ?? 'Identity not known yet', endpointUrl ? `Endpoint: ${endpointUrl}` : undefined, 'Click to select the profile']
      .filter(Boolean)
      .join('\n');
    this.item.show();
  }

  /** Several accounts are shown: each row acts as its own account, so the item counts them instead. */
  showFleet(accounts: number, failed: number): void {
    this.item.text = `$(organization) ${accounts} account${accounts === 1 ? '' : 's'}${failed ? ` · ${failed} failed` : ''}`;
    this.item.tooltip = 'Several accounts are shown: every command acts as the account of its row.\nClick to select the profiles';
    this.item.command = 'awsops.selectProfiles';
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
