import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { assumeRoleCredentials } from './assumeRole';
import type { CallListener } from './callLog';
import { credentialProvider, type CredentialOptions } from './credentials';
import { AwsSession, type SessionSpec } from './session';

const REQUEST_TIMEOUT_MS = 30_000;

/** One AwsSession per (profile, role, region, endpoint); credentials are shared by all regions of a profile or role. */
export class SessionPool {
  private readonly sessions = new Map<string, AwsSession>();
  private readonly providers = new Map<string, AwsCredentialIdentityProvider>();

  constructor(
    private readonly onCall: CallListener,
    private readonly credentialOptions: (profile: string | undefined) => CredentialOptions = (profile) => ({ profile }),
  ) {}

  get(spec: SessionSpec): AwsSession {
    const key = `${spec.profile ?? ''}|${spec.roleArn ?? ''}|${spec.region}|${spec.endpointUrl ?? ''}`;
    let session = this.sessions.get(key);
    if (!session) {
      // A dead connection must fail (and be retried) instead of hanging a failover forever.
      session = new AwsSession(spec, this.credentials(spec.profile, spec.roleArn ? { roleArn: spec.roleArn, region: spec.region, endpointUrl: spec.endpointUrl } : undefined), this.onCall, undefined, REQUEST_TIMEOUT_MS);
      this.sessions.set(key, session);
    }
    return session;
  }

  /** Drops every client and cached credential, e.g. after the profile or endpoint setting changed. */
  clear(): void {
    for (const session of this.sessions.values()) session.destroy();
    this.sessions.clear();
    this.providers.clear();
  }

  /**
   * The shared credential provider of a profile (undefined = the default chain), or of a role assumed with it
   * (STS asked in the region and endpoint of the first session that needs it).
   */
  credentials(profile: string | undefined, role?: { roleArn: string; region: string; endpointUrl?: string }): AwsCredentialIdentityProvider {
    const key = `${profile ?? ''}|${role?.roleArn ?? ''}`;
    let provider = this.providers.get(key);
    if (!provider) {
      provider = role ? assumeRoleCredentials(this.credentials(profile), role.roleArn, role) : credentialProvider(this.credentialOptions(profile));
      this.providers.set(key, provider);
    }
    return provider;
  }
}
