import * as vscode from 'vscode';
import type { SessionPool } from './core/session/pool';
import type { SessionSpec } from './core/session/session';
import { loadAws, type Aws } from './backend/loadAws';
import { logCall } from './log';
import { readSettings, type Settings } from './settings';

export interface Targets {
  settings: Settings;
  specs: SessionSpec[];
}

/**
 * Where AWS calls go (profile, regions, endpoint) and the session pool that makes them. The pool and the SDK
 * are created on first use; a settings change drops every cached client and credential.
 */
export class AwsContext implements vscode.Disposable {
  private poolInstance: SessionPool | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(readonly log: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('awsops')) return;
      this.poolInstance?.clear();
      this.changed.fire();
    });
  }

  get aws(): Aws {
    return loadAws();
  }

  get pool(): SessionPool {
    this.poolInstance ??= new this.aws.SessionPool((record) => logCall(this.log, record));
    return this.poolInstance;
  }

  settings(): Settings {
    return readSettings();
  }

  /** The chosen regions, or the profile's region, then AWS_REGION; none at all is an error the caller shows. */
  async targets(): Promise<Targets> {
    const settings = this.settings();
    let regions = settings.regions;
    if (regions.length === 0) {
      const profiles = await this.aws.listProfiles();
      const name = settings.profile ?? 'default';
      const region = profiles.find((p) => p.name === name)?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      regions = region ? [region] : [];
    }
    return { settings, specs: regions.map((region) => ({ profile: settings.profile, region, endpointUrl: settings.endpointUrl })) };
  }

  dispose(): void {
    this.poolInstance?.clear();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
