import * as vscode from 'vscode';

/** The settings the extension reads, as plain data. */
export interface Settings {
  profile?: string;
  /** Several profiles at once (names or `prod-*` patterns); empty: the single `profile`. */
  profiles: string[];
  /** An Organizations source: the management (or delegated admin) profile and the role assumed in every member. */
  organization?: { profile: string; roleName: string };
  regions: string[];
  vpcIds: string[];
  endpointUrl?: string;
  pairTagKey: string;
  jumpboxTagKey: string;
}

/**
 * Settings that choose the account, the endpoint, the regions, what is a pair or a jumpbox, which DNS records
 * are written, or what goes into a command line. A workspace is a folder anyone may have written, so in an
 * untrusted one only the user's own values of these count (package.json lists them as restrictedConfigurations,
 * for the Settings editor to say so).
 */
export const RESTRICTED_SETTINGS = [
  'profile',
  'profiles',
  'organization.profile',
  'organization.roleName',
  'regions',
  'vpcIds',
  'endpointUrl',
  'pairTagKey',
  'jumpboxTagKey',
  'sshUser',
  'dnsZones',
  // Written to AWS by the jumpbox agent's holidays parameter: a cloned folder must not skip a team's starts.
  'holidays',
  'awsVault.path',
  'awsVault.profiles',
] as const;

const RESTRICTED = new Set<string>(RESTRICTED_SETTINGS);

/** The one reader of `awsops.<key>`: for a restricted setting in an untrusted workspace, the user value or the default. */
export function setting<T>(key: string, trusted = vscode.workspace.isTrusted): T | undefined {
  const config = vscode.workspace.getConfiguration('awsops');
  if (trusted || !RESTRICTED.has(key)) return config.get<T>(key);
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}

/** `trusted` is the workspace's trust; tests pass false to read as an untrusted workspace does. */
export function readSettings(env: NodeJS.ProcessEnv = process.env, trusted = vscode.workspace.isTrusted): Settings {
  const read = <T>(key: string) => setting<T>(key, trusted);
  const organizationProfile = read<string>('organization.profile')?.trim();
  return {
    profile: read<string>('profile') || env.AWS_PROFILE || undefined,
    profiles: (read<string[]>('profiles') ?? []).map((p) => p.trim()).filter(Boolean),
    organization: organizationProfile ? { profile: organizationProfile, roleName: read<string>('organization.roleName')?.trim() || 'OrganizationAccountAccessRole' } : undefined,
    regions: (read<string[]>('regions') ?? []).map((r) => r.trim()).filter(Boolean),
    vpcIds: read<string[]>('vpcIds') ?? [],
    endpointUrl: read<string>('endpointUrl') || env.AWS_ENDPOINT_URL || undefined,
    pairTagKey: read<string>('pairTagKey') || 'awsops:pair',
    jumpboxTagKey: read<string>('jumpboxTagKey') || 'awsops:jumpbox',
  };
}

export async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('awsops').update(key, value, vscode.ConfigurationTarget.Global);
}
