import * as vscode from 'vscode';

/** The jumpbox settings, as plain data. */
export interface JumpboxSettings {
  /** Instance type → USD per hour, used when the Price List API gives no price. */
  hourlyPrices: Readonly<Record<string, unknown>>;
  /** YYYY-MM-DD days the cost estimate counts as off. */
  holidays: string[];
  sshUser: string;
  /** Hosted zones (names or ids) whose records AWS Ops may write; none when empty. */
  dnsZones: string[];
}

export function readJumpboxSettings(): JumpboxSettings {
  const config = vscode.workspace.getConfiguration('awsops');
  return {
    hourlyPrices: config.get<Record<string, unknown>>('hourlyPrices') ?? {},
    holidays: (config.get<string[]>('holidays') ?? []).map((day) => day.trim()).filter(Boolean),
    sshUser: config.get<string>('sshUser')?.trim() || 'ec2-user',
    dnsZones: (userValue<string[]>(config, 'dnsZones') ?? []).map((zone) => zone.trim()).filter(Boolean),
  };
}

/**
 * A setting that decides what AWS Ops writes in AWS: an untrusted workspace must not widen it, so there only
 * the user's own value counts (it is also in restrictedConfigurations, for the Settings editor to say so).
 */
function userValue<T>(config: vscode.WorkspaceConfiguration, key: string): T | undefined {
  if (vscode.workspace.isTrusted) return config.get<T>(key);
  const inspected = config.inspect<T>(key);
  return inspected?.globalValue ?? inspected?.defaultValue;
}
