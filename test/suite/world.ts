import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AwsOpsApi } from '../../src/extension';
import type { SessionPool } from '../../src/core/session/pool';
import { MOTO_CREDENTIALS, motoPool, startMoto, type Moto } from '../support/moto';

/**
 * The suite's test world: a real moto_server, a throwaway AWS config with a "moto" profile (never the
 * user's ~/.aws), and the extension pointed at both through its settings.
 */
export interface World {
  moto: Moto;
  api: AwsOpsApi;
  pool: SessionPool;
  region: string;
  dispose(): Promise<void>;
}

export async function startWorld(region = 'eu-west-1'): Promise<World> {
  const moto = await startMoto();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsops-suite-'));
  fs.writeFileSync(path.join(dir, 'config'), `[profile moto]\nregion = ${region}\n`);
  fs.writeFileSync(path.join(dir, 'credentials'), `[moto]\naws_access_key_id = ${MOTO_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${MOTO_CREDENTIALS.secretAccessKey}\n`);
  process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');

  const config = vscode.workspace.getConfiguration('awsops');
  await config.update('endpointUrl', moto.url, vscode.ConfigurationTarget.Global);
  await config.update('profile', 'moto', vscode.ConfigurationTarget.Global);
  await config.update('regions', [region], vscode.ConfigurationTarget.Global);

  const extension = vscode.extensions.getExtension<AwsOpsApi>('aws-ops.aws-ops');
  if (!extension) throw new Error('the aws-ops extension is not installed in this host');
  const api = await extension.activate();
  const pool = motoPool();
  return {
    moto,
    api,
    pool,
    region,
    dispose: async () => {
      pool.clear();
      for (const key of ['endpointUrl', 'profile', 'regions']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
      await moto.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
