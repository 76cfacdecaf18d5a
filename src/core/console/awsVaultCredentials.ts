import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { memoizeCredentials } from '../session/session';
import { checkedMfaToken, checkedProfile, runAwsVault, type AwsVaultOptions, type RunProcess } from './awsVault';
import { ConsoleError } from './errors';

export interface AwsVaultCredentialOptions extends AwsVaultOptions {
  /** Asked before each export when the profile has mfa_serial (aws-vault cannot prompt without a terminal). */
  mfaCode?: () => Promise<string>;
}

/** What `aws-vault export --format=json` prints (the credential_process format). */
interface ExportedCredentials {
  Version?: number;
  AccessKeyId?: unknown;
  SecretAccessKey?: unknown;
  SessionToken?: unknown;
  Expiration?: unknown;
}

/**
 * Credentials from `aws-vault export --format=json <profile>`, kept in memory until shortly before they
 * expire and never written anywhere. For SessionPool's `override`.
 */
export function awsVaultCredentialProvider(
  run: RunProcess,
  awsVaultPath: string,
  profile: string,
  options: AwsVaultCredentialOptions = {},
): AwsCredentialIdentityProvider {
  return memoizeCredentials(async () => {
    const args = ['export', '--format=json'];
    if (options.mfaCode) args.push('--mfa-token', checkedMfaToken(await options.mfaCode()));
    args.push(checkedProfile(profile));
    const stdout = await runAwsVault(run, awsVaultPath, args, profile, options);
    return parseExport(stdout, profile);
  });
}

function parseExport(stdout: string, profile: string): AwsCredentialIdentity {
  let data: ExportedCredentials | undefined;
  try {
    data = JSON.parse(stdout) as ExportedCredentials;
  } catch {
    // falls through to the error below; the output itself is never quoted (it may hold keys)
  }
  const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = data ?? {};
  const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined;
  if (
    typeof AccessKeyId !== 'string' ||
    !AccessKeyId ||
    typeof SecretAccessKey !== 'string' ||
    !SecretAccessKey ||
    (SessionToken !== undefined && typeof SessionToken !== 'string') ||
    (expiration && Number.isNaN(expiration.getTime()))
  ) {
    throw new ConsoleError(
      'bad-output',
      `aws-vault export for profile "${profile}" did not print credentials as JSON (${stdout.length} characters). ` +
        'Check that awsops.awsVault.path names an aws-vault that supports "export --format=json".',
    );
  }
  return { accessKeyId: AccessKeyId, secretAccessKey: SecretAccessKey, sessionToken: SessionToken, expiration };
}
