import { loadSharedConfigFiles } from '@smithy/core/config';

/** One named profile as the AWS shared config/credentials files describe it. */
export interface ProfileInfo {
  name: string;
  region?: string;
  /** How credentials are obtained: shown to the user when picking a profile. */
  source: 'static' | 'assume-role' | 'sso' | 'process' | 'web-identity' | 'unknown';
  mfaSerial?: string;
  /** An assume-role profile's role and the profile whose credentials assume it. */
  roleArn?: string;
  sourceProfile?: string;
}

export interface ProfileFiles {
  configFile?: string;
  credentialsFile?: string;
}

const NON_PROFILE_SECTION = /^(sso-session|services|profile)\./;

/**
 * Lists profiles from the shared files with the SDK's own loader (it honours AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE). The cache is bypassed so edits show on the next refresh.
 */
export async function listProfiles(files: ProfileFiles = {}): Promise<ProfileInfo[]> {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({
    configFilepath: files.configFile,
    filepath: files.credentialsFile,
    ignoreCache: true,
  });
  const names = new Set([...Object.keys(credentialsFile), ...Object.keys(configFile)]);
  const profiles: ProfileInfo[] = [];
  for (const name of names) {
    // The loader keys sso-session and services sections as "<kind>.<name>"; they are not profiles, nor is a
    // "[profile x]" section of the credentials file (keyed "profile.x", never resolved by the SDK). Profile
    // names themselves may contain dots (e.g. "acme.prod").
    if (NON_PROFILE_SECTION.test(name)) continue;
    const merged = { ...credentialsFile[name], ...configFile[name] };
    profiles.push({
      name,
      region: merged.region,
      source: sourceOf(merged),
      mfaSerial: merged.mfa_serial,
      ...(merged.role_arn && { roleArn: merged.role_arn }),
      ...(merged.source_profile && { sourceProfile: merged.source_profile }),
    });
  }
  return profiles.sort((a, b) => a.name.localeCompare(b.name));
}

function sourceOf(p: Record<string, string | undefined>): ProfileInfo['source'] {
  if (p.role_arn && p.web_identity_token_file) return 'web-identity';
  if (p.role_arn) return 'assume-role';
  if (p.sso_session || p.sso_start_url) return 'sso';
  if (p.credential_process) return 'process';
  if (p.aws_access_key_id) return 'static';
  return 'unknown';
}
