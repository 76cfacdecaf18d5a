import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { FleetSource, FleetTarget } from './model';
import { selectProfileNames } from './patterns';

/** The AWS reads that turn a fleet source into targets (SDK-backed in sdkDeps.ts). */
export interface FleetDeps {
  profileNames(): Promise<string[]>;
  credentials(profile: string): AwsCredentialIdentityProvider;
  accountOf(credentials: AwsCredentialIdentityProvider, signal?: AbortSignal): Promise<string>;
  /** Active member accounts of the organization (every page). */
  organizationAccounts(credentials: AwsCredentialIdentityProvider): Promise<Array<{ id: string; name: string }>>;
  /** Credentials of `roleArn` assumed with `profile`'s. */
  assumeRole(profile: string, roleArn: string): AwsCredentialIdentityProvider;
}

/** The targets of a source; a profile pattern that matches nothing adds nothing. */
export async function fleetTargets(source: FleetSource, deps: FleetDeps): Promise<FleetTarget[]> {
  if (source.kind === 'profiles') {
    const names = selectProfileNames(await deps.profileNames(), source.patterns);
    return names.map((profile) => ({ label: profile, profile, credentials: deps.credentials(profile) }));
  }
  const management = deps.credentials(source.profile);
  const [members, managementId] = await Promise.all([deps.organizationAccounts(management), deps.accountOf(management)]);
  return members.map(({ id, name }): FleetTarget => {
    // The management account has no member role to assume: its own profile reaches it.
    if (id === managementId) return { label: name, profile: source.profile, accountId: id, credentials: management };
    const roleArn = `arn:aws:iam::${id}:role/${source.roleName}`;
    return { label: name, profile: source.profile, accountId: id, roleArn, credentials: deps.assumeRole(source.profile, roleArn) };
  });
}
