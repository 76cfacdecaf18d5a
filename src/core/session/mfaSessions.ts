import { GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { assumeRoleCredentials } from './assumeRole';
import { memoizeCredentials } from './session';

/** A role profile whose role needs MFA, assumed with a source profile's long-term keys. */
export interface MfaRoleProfile {
  roleArn: string;
  sourceProfile: string;
  mfaSerial: string;
}

/**
 * MFA the way aws-vault does it: one GetSessionToken with the code per source profile and device, then every role
 * profile behind that device assumes its role with that session's credentials (IAM counts them as MFA-authenticated).
 * Ten profiles of a fleet behind one device ask for one code, and not again until the session expires (STS's
 * default, 12 h) — the SDK alone would ask each profile for a code of its own.
 */
export class MfaSessions {
  private readonly sessions = new Map<string, AwsCredentialIdentityProvider>();

  constructor(private readonly code: (mfaSerial: string) => Promise<string>) {}

  role(profile: MfaRoleProfile, source: AwsCredentialIdentityProvider, sts: { region: string; endpointUrl?: string }): AwsCredentialIdentityProvider {
    const key = `${profile.sourceProfile}|${profile.mfaSerial}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = memoizeCredentials(async () => {
        const client = new STSClient({ region: sts.region, endpoint: sts.endpointUrl, credentials: source, retryMode: 'adaptive' });
        try {
          const TokenCode = await this.code(profile.mfaSerial);
          const { Credentials: c } = await client.send(new GetSessionTokenCommand({ SerialNumber: profile.mfaSerial, TokenCode }));
          if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`GetSessionToken for ${profile.mfaSerial} returned no credentials`);
          return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
        } finally {
          client.destroy();
        }
      });
      this.sessions.set(key, session);
    }
    return assumeRoleCredentials(session, profile.roleArn, sts);
  }

  /** Forgets every session (the settings changed: another endpoint may be meant). */
  clear(): void {
    this.sessions.clear();
  }
}
