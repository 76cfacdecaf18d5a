import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { memoizeCredentials } from './session';

export interface CredentialOptions {
  profile?: string;
  /** Asked when an assume-role profile has mfa_serial. */
  mfaCodeProvider?: (mfaSerial: string) => Promise<string>;
  /** A provider that replaces the SDK chain for this profile (e.g. aws-vault export). */
  override?: AwsCredentialIdentityProvider;
}

/**
 * The SDK's own providers: a named profile resolves through fromIni (static keys, assume-role, SSO,
 * credential_process, web identity); no profile means the default Node chain (env, default profile, IMDS...).
 */
export function credentialProvider(options: CredentialOptions): AwsCredentialIdentityProvider {
  if (options.override) return memoizeCredentials(options.override);
  const base = options.profile
    ? fromIni({ profile: options.profile, mfaCodeProvider: options.mfaCodeProvider, ignoreCache: true })
    : fromNodeProviderChain({ mfaCodeProvider: options.mfaCodeProvider });
  return memoizeCredentials(base);
}
