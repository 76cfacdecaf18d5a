import * as vscode from 'vscode';

/** The jumpbox settings, as plain data. */
export interface JumpboxSettings {
  /** Instance type → USD per hour, used when the Price List API gives no price. */
  hourlyPrices: Readonly<Record<string, unknown>>;
  /** YYYY-MM-DD days the cost estimate counts as off. */
  holidays: string[];
  sshUser: string;
}

export function readJumpboxSettings(): JumpboxSettings {
  const config = vscode.workspace.getConfiguration('awsops');
  return {
    hourlyPrices: config.get<Record<string, unknown>>('hourlyPrices') ?? {},
    holidays: (config.get<string[]>('holidays') ?? []).map((day) => day.trim()).filter(Boolean),
    sshUser: config.get<string>('sshUser')?.trim() || 'ec2-user',
  };
}
