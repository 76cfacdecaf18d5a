import * as vscode from 'vscode';

/** The settings the extension reads, as plain data. */
export interface Settings {
  profile?: string;
  regions: string[];
  vpcIds: string[];
  endpointUrl?: string;
  pairTagKey: string;
  jumpboxTagKey: string;
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const config = vscode.workspace.getConfiguration('awsops');
  return {
    profile: config.get<string>('profile') || env.AWS_PROFILE || undefined,
    regions: config.get<string[]>('regions', []).map((r) => r.trim()).filter(Boolean),
    vpcIds: config.get<string[]>('vpcIds', []),
    endpointUrl: config.get<string>('endpointUrl') || env.AWS_ENDPOINT_URL || undefined,
    pairTagKey: config.get<string>('pairTagKey') || 'awsops:pair',
    jumpboxTagKey: config.get<string>('jumpboxTagKey') || 'awsops:jumpbox',
  };
}

export async function updateSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('awsops').update(key, value, vscode.ConfigurationTarget.Global);
}
