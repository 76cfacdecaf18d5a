import type { AwsCredentialIdentityProvider } from '@smithy/types';

/** Where the accounts of a fleet come from: several profiles (names or `prod-*` patterns) or an AWS Organization. */
export type FleetSource =
  | { kind: 'profiles'; patterns: readonly string[] }
  /** `profile` signs in to the management (or delegated admin) account; `roleName` is assumed in every member. */
  | { kind: 'organization'; profile: string; roleName: string };

/** One way into an account, before its identity is known (profiles) or with it (Organizations). */
export interface FleetTarget {
  /** What the user calls it: the profile name or the Organizations account name. */
  label: string;
  /** The profile whose credentials are used (for an Organizations member: the management profile). */
  profile: string;
  accountId?: string;
  /** Set when the credentials come from assuming this role. */
  roleArn?: string;
  credentials: AwsCredentialIdentityProvider;
}

/** A target whose account is known; other profiles that reach the same account are named, not shown again. */
export interface FleetAccount extends FleetTarget {
  accountId: string;
  alsoReachedBy: string[];
}

export type FleetProblemKind = 'sso-expired' | 'expired' | 'access-denied' | 'bad-role' | 'no-credentials' | 'timeout' | 'unreachable' | 'other';

/** A failure with the fix the user can apply; `command` is a shell command that applies it. */
export interface FleetProblem {
  kind: FleetProblemKind;
  message: string;
  fix: string;
  command?: string;
}

/**
 * The account a row belongs to when several are shown: plain data the rows and their commands carry, so a
 * command signs in as the row's account (its profile, and the role assumed with it for Organizations members).
 */
export interface AccountRef {
  accountId: string;
  label: string;
  profile: string;
  roleArn?: string;
  alsoReachedBy: string[];
}

export function accountRef(account: FleetAccount): AccountRef {
  return { accountId: account.accountId, label: account.label, profile: account.profile, roleArn: account.roleArn, alsoReachedBy: [...account.alsoReachedBy] };
}
