import * as vscode from 'vscode';
import { setting } from '../../plumbing/settings';

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

/** `trusted` is the workspace's trust; tests pass false to read as an untrusted workspace does. */
export function readJumpboxSettings(trusted = vscode.workspace.isTrusted): JumpboxSettings {
  return {
    hourlyPrices: setting<Record<string, unknown>>('hourlyPrices', trusted) ?? {},
    holidays: (setting<string[]>('holidays', trusted) ?? []).map((day) => day.trim()).filter(Boolean),
    sshUser: setting<string>('sshUser', trusted)?.trim() || 'ec2-user',
    dnsZones: (setting<string[]>('dnsZones', trusted) ?? []).map((zone) => zone.trim()).filter(Boolean),
  };
}
