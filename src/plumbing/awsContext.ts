import * as vscode from 'vscode';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { serialisedMfa } from '../core/fleet/mfa';
import { accountRef, type AccountRef, type FleetSource } from '../core/fleet/model';
import { matchesPattern } from '../core/fleet/patterns';
import type { FleetOutcome, FleetRunSummary } from '../core/fleet/run';
import { findExecutable } from '../core/process/findExecutable';
import type { CredentialOptions } from '../core/session/credentials';
import type { MfaSessions } from '../core/session/mfaSessions';
import type { SessionPool } from '../core/session/pool';
import type { SessionSpec } from '../core/session/session';
import { loadAws, type Aws } from '../aws/load';
import { logCall } from './log';
import { readSettings, setting, type Settings } from './settings';

/** Settings of how the views behave, not of where AWS calls go. */
const VIEW_ONLY = ['awsops.poll', 'awsops.notifications'];

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
  /** One MFA prompt at a time; a code is offered to every profile of its device while it is still valid. */
  private readonly mfaCode: (mfaSerial: string) => Promise<string>;
  /** One MFA session per source profile and device, shared by every role profile behind it (created on first use). */
  private mfaSessionsInstance: MfaSessions | undefined;
  /** The account each profile or role reaches (GetCallerIdentity), asked once per settings. */
  private readonly accountIds = new Map<string, Promise<string>>();

  constructor(
    readonly log: vscode.LogOutputChannel,
    /** Asks the user for an MFA code; resolves undefined when they cancel. */
    askMfa: (mfaSerial: string) => Promise<string | undefined>,
  ) {
    this.mfaCode = serialisedMfa(async (serial) => {
      const code = await askMfa(serial);
      if (!code) throw new Error(`An MFA code for ${serial} is needed.`);
      return code;
    });
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      // Polling and notices change no AWS target: no new sessions (nor MFA prompts) for them.
      if (!e.affectsConfiguration('awsops') || VIEW_ONLY.some((key) => e.affectsConfiguration(key))) return;
      this.poolInstance?.clear();
      this.mfaSessionsInstance?.clear();
      this.identityAnswer = undefined;
      this.accountIds.clear();
      this.changed.fire();
    });
  }

  get aws(): Aws {
    return loadAws();
  }

  private get mfaSessions(): MfaSessions {
    this.mfaSessionsInstance ??= new this.aws.MfaSessions(this.mfaCode);
    return this.mfaSessionsInstance;
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
    const mfaCodeProvider = (serial: string) => this.mfaCode(serial);
    if (!profile) return { profile, mfaCodeProvider };
    const vaultProfiles = setting<string[]>('awsVault.profiles') ?? [];
    const { aws } = this;
    if (!vaultProfiles.includes(profile)) {
      // Decided on first use (reading the profile is async): a role behind an MFA device goes through that device's
      // one session; anything else through the SDK's own providers.
      let chosen: AwsCredentialIdentityProvider | undefined;
      const override: AwsCredentialIdentityProvider = async () => {
        if (!chosen) {
          const profiles = await aws.listProfiles();
          const info = profiles.find((p) => p.name === profile);
          const source = profiles.find((p) => p.name === info?.sourceProfile);
          chosen = info?.roleArn && info.mfaSerial && info.sourceProfile && source?.source === 'static' && !vaultProfiles.includes(source.name)
            ? this.mfaSessions.role({ roleArn: info.roleArn, sourceProfile: info.sourceProfile, mfaSerial: info.mfaSerial }, this.pool.credentials(info.sourceProfile), {
              region: info.region ?? source.region ?? 'us-east-1',
              endpointUrl: this.settings().endpointUrl,
            })
            : aws.credentialProvider({ profile, mfaCodeProvider });
        }
        return chosen();
      };
      return { profile, override };
    }
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
      const name = settings.organization?.profile ?? settings.profile ?? 'default';
      const region = profiles.find((p) => p.name === name)?.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
      regions = region ? [region] : [];
    }
    return { settings, specs: regions.map((region) => ({ profile: settings.profile, region, endpointUrl: settings.endpointUrl })) };
  }

  /** What keeps the current settings from working (unknown profile, bad region or endpoint, no credentials); [] when usable. */
  async problems(): Promise<string[]> {
    const { settings, specs } = await this.targets();
    const profiles = await this.aws.listProfiles();
    const fleet = this.fleetSource();
    // A fleet's profiles are checked account by account: each failure is an error row under its account.
    const profile = fleet ? (fleet.kind === 'organization' ? fleet.profile : undefined) : settings.profile;
    const problems = this.aws.targetProblems({ ...settings, profile, regions: specs.map((s) => s.region) }, profiles, Boolean(process.env.AWS_ACCESS_KEY_ID) || Boolean(fleet));
    if (fleet?.kind === 'profiles' && !profiles.some((p) => fleet.patterns.some((pattern) => matchesPattern(p.name, pattern)))) {
      problems.push(`No profile matches awsops.profiles (${fleet.patterns.join(', ')}): pick some with "AWS Ops: Select Profiles…".`);
    }
    return problems;
  }

  /** Several accounts at once (an Organization, or awsops.profiles), or undefined for the single profile. */
  fleetSource(): FleetSource | undefined {
    const settings = this.settings();
    if (settings.organization) return { kind: 'organization', ...settings.organization };
    return settings.profiles.length > 0 ? { kind: 'profiles', patterns: settings.profiles } : undefined;
  }

  /** Where calls about `region` go: the row's account when it has one, else the chosen profile. */
  specFor(region: string, account?: AccountRef): SessionSpec {
    const settings = this.settings();
    return account
      ? { profile: account.profile, roleArn: account.roleArn, region, endpointUrl: settings.endpointUrl }
      : { profile: settings.profile, region, endpointUrl: settings.endpointUrl };
  }

  /**
   * Reads every account of the fleet over the chosen regions (bounded concurrency, a deadline per account) and
   * hands each account's answer to `onOutcome` as it arrives; aborting `signal` stops delivering.
   */
  async runFleet<T>(
    source: FleetSource,
    discover: (spec: SessionSpec, account: AccountRef, signal: AbortSignal) => Promise<T>,
    onOutcome: (outcome: FleetOutcome<T>, progress: { answered: number; total: number }) => void,
    signal: AbortSignal,
  ): Promise<FleetRunSummary> {
    const { aws } = this;
    const { settings, specs } = await this.targets();
    const regions = specs.map((s) => s.region);
    const sts = { region: regions[0], endpointUrl: settings.endpointUrl };
    const deps = aws.sdkFleetDeps({
      ...sts,
      profileNames: async () => (await aws.listProfiles()).map((p) => p.name),
      credentials: (profile) => this.pool.credentials(profile),
      assumeRole: (profile, roleArn) => this.pool.credentials(profile, { roleArn, ...sts }),
    });
    const targets = await aws.fleetTargets(source, deps);
    const identify = (target: { profile: string; roleArn?: string; credentials: Parameters<typeof deps.accountOf>[0] }) => {
      const key = `${target.profile}|${target.roleArn ?? ''}`;
      let answer = this.accountIds.get(key);
      if (!answer) {
        // Not tied to this refresh's signal: a superseded refresh must not leave an aborted answer for the next.
        answer = deps.accountOf(target.credentials);
        this.accountIds.set(key, answer);
        answer.catch(() => this.accountIds.delete(key)); // a failure may pass (expired SSO): ask again next time
      }
      return answer;
    };
    return aws.runFleet(targets, (account, region, abort) => {
      const ref = accountRef(account);
      return discover(this.specFor(region, ref), ref, abort);
    }, {
      regions,
      concurrency: setting<number>('fleet.concurrency') ?? aws.DEFAULT_FLEET_CONCURRENCY,
      accountTimeoutMs: (setting<number>('fleet.accountTimeoutSeconds') ?? 30) * 1000,
      signal,
      identify,
    }, onOutcome);
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
