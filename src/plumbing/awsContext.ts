import * as vscode from 'vscode';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { findExecutable } from '../core/process/findExecutable';
import type { CredentialOptions } from '../core/session/credentials';
import type { SessionPool } from '../core/session/pool';
import type { SessionSpec } from '../core/session/session';
import { loadAws, type Aws } from '../aws/load';
import { logCall } from './log';
import { readSettings, setting, type Settings } from './settings';

export interface Targets {
  settings: Settings;
  specs: SessionSpec[];
}

/** Who the chosen profile acts as, from STS GetCallerIdentity. */
export interface Identity {
  profile?: string;
  account: string;
  arn: string;
  endpointUrl?: string;
}

/**
 * Where AWS calls go (profile, regions, endpoint) and the session pool that makes them. The pool and the SDK
 * are created on first use; a settings change drops every cached client and credential.
 */
export class AwsContext implements vscode.Disposable {
  private poolInstance: SessionPool | undefined;
  private identityAnswer: Promise<Identity | undefined> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    readonly log: vscode.LogOutputChannel,
    /** Asks the user for an MFA code; resolves undefined when they cancel. */
    private readonly askMfa: (mfaSerial: string) => Promise<string | undefined>,
  ) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('awsops')) return;
      this.poolInstance?.clear();
      this.identityAnswer = undefined;
      this.changed.fire();
    });
  }

  get aws(): Aws {
    return loadAws();
  }

  get pool(): SessionPool {
    this.poolInstance ??= new this.aws.SessionPool(
      (record) => logCall(this.log, record),
      (profile) => this.credentialOptions(profile),
    );
    return this.poolInstance;
  }

  /** The SDK's providers, or aws-vault export for the profiles the user marked; MFA codes come from a prompt. */
  private credentialOptions(profile: string | undefined): CredentialOptions {
    const mfaCodeProvider = async (serial: string) => {
      const code = await this.askMfa(serial);
      if (!code) throw new Error(`An MFA code for ${serial} is needed to use profile "${profile}".`);
      return code;
    };
    if (!profile || !(setting<string[]>('awsVault.profiles') ?? []).includes(profile)) return { profile, mfaCodeProvider };
    const { aws } = this;
    let inner: AwsCredentialIdentityProvider | undefined;
    const override: AwsCredentialIdentityProvider = async () => {
      if (!inner) {
        const configured = setting<string>('awsVault.path') || 'aws-vault';
        const path = findExecutable(configured);
        if (!path) throw new Error(`Profile "${profile}" gets credentials from aws-vault, but "${configured}" was not found: install aws-vault or set awsops.awsVault.path.`);
        const mfaSerial = (await aws.listProfiles()).find((p) => p.name === profile)?.mfaSerial;
        inner = aws.awsVaultCredentialProvider(aws.runProcess, path, profile, { mfaCode: mfaSerial ? () => mfaCodeProvider(mfaSerial) : undefined });
      }
      return inner();
    };
    return { profile, override };
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

  /** What keeps the current settings from working (unknown profile, bad region or endpoint, no credentials); [] when usable. */
  async problems(): Promise<string[]> {
    const { settings, specs } = await this.targets();
    const profiles = await this.aws.listProfiles();
    return this.aws.targetProblems({ ...settings, regions: specs.map((s) => s.region) }, profiles, Boolean(process.env.AWS_ACCESS_KEY_ID));
  }

  /**
   * Who the current settings act as, asked once per settings (the status bar and the views share one answer);
   * undefined, with a warning in the log, when STS cannot tell.
   */
  identity(): Promise<Identity | undefined> {
    this.identityAnswer ??= this.targets().then(async ({ settings, specs }) => {
      if (specs.length === 0) return undefined;
      try {
        const who = await this.aws.whoAmI(this.pool.get(specs[0]));
        return { profile: settings.profile, account: who.account, arn: who.arn, endpointUrl: settings.endpointUrl };
      } catch (error) {
        this.identityAnswer = undefined; // ask again next time: the failure may be passing (expired SSO, network)
        this.log.warn(`Could not tell who you are (STS GetCallerIdentity): ${this.aws.explainError(error).message}`);
        return undefined;
      }
    });
    return this.identityAnswer;
  }

  dispose(): void {
    this.poolInstance?.clear();
    this.subscription.dispose();
    this.changed.dispose();
  }
}
