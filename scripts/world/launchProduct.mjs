// The product on its embedded default: moto with the seeded demo world, and code-server with the packaged
// extension installed and pointed at that moto through a demo profile (never the user's own ~/.aws).
// Used by `npm run demo` and by the UI tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installVsix, startCodeServer } from '../vscode-host/codeServer.mjs';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

/**
 * @param {{ vsix: string, port?: number, smokeTestDriver?: boolean, env?: Record<string, string>,
 *   profiles?: Record<string, { region: string, sessionToken?: string }>, settings?: Record<string, unknown> }} options
 *   env: more variables for code-server and the extension host; profiles: more profiles beside "demo", with
 *   moto's keys (and a session token, which makes them temporary credentials); settings: more user settings
 *   (e.g. a short awsops.poll.interval)
 * @returns {Promise<{ url: string, motoUrl: string, world: object, stop: () => Promise<void>,
 *   setMachineSettings: (more: Record<string, unknown>) => void }>}
 */
export async function launchProduct({ vsix, port, smokeTestDriver = false, env = {}, profiles = {}, settings = {} }) {
  // Compiled by `tsc -p .` (the demo and test scripts build first).
  const { startMoto, MOTO_CREDENTIALS } = require(join(REPO_ROOT, 'out/test/support/moto.js'));
  const { seedDemoWorld, DEMO_REGIONS, DEMO_DNS_ZONE, DEMO_ACCOUNTS, DEMO_ROLE_NAME } = require(join(REPO_ROOT, 'out/test/support/demoWorld.js'));
  const dir = mkdtempSync(join(tmpdir(), 'aws-ops-product-'));
  const cleanups = [() => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const moto = await startMoto();
    cleanups.push(() => moto.stop());
    const world = await seedDemoWorld(moto.url);

    const config = join(dir, 'aws-config');
    const credentials = join(dir, 'aws-credentials');
    const all = { demo: { region: 'eu-west-1' }, ...profiles };
    const section = (lines) => lines.filter(Boolean).join('\n') + '\n';
    // The fleet's profiles assume a role in their account with the demo profile's keys, as aws-vault / SSO users' do.
    const fleet = DEMO_ACCOUNTS.map((a) => section([`[profile ${a.profile}]`, 'region = eu-west-1', `role_arn = arn:aws:iam::${a.accountId}:role/${DEMO_ROLE_NAME}`, 'source_profile = demo']));
    writeFileSync(config, Object.entries(all).map(([name, p]) => section([`[profile ${name}]`, `region = ${p.region}`])).join('') + fleet.join(''));
    const keys = ([name, p]) =>
      section([
        `[${name}]`,
        `aws_access_key_id = ${MOTO_CREDENTIALS.accessKeyId}`,
        `aws_secret_access_key = ${MOTO_CREDENTIALS.secretAccessKey}`,
        p.sessionToken && `aws_session_token = ${p.sessionToken}`,
      ]);
    writeFileSync(credentials, Object.entries(all).map(keys).join(''));
    const extensionsDir = join(dir, 'extensions');
    await installVsix(vsix, extensionsDir);
    const workspace = mkdtempSync(join(dir, 'workspace-'));

    const codeServer = await startCodeServer({
      workspace,
      extensionsDir,
      port,
      smokeTestDriver,
      // AWS_ENDPOINT_URL: the SDK's own AssumeRole for the fleet's role_arn profiles goes to moto too.
      env: { ...env, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_ENDPOINT_URL: moto.url },
      settings: { 'awsops.profile': 'demo', 'awsops.regions': [...DEMO_REGIONS], 'awsops.endpointUrl': moto.url, 'awsops.dnsZones': [DEMO_DNS_ZONE], ...settings },
    });
    cleanups.push(() => codeServer.stop());
    return { url: codeServer.url, motoUrl: moto.url, world, stop, setMachineSettings: codeServer.setMachineSettings };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The .vsix `npm run package` builds. */
export function vsixPath() {
  const { name, version } = require(join(REPO_ROOT, 'package.json'));
  return join(REPO_ROOT, `${name}-${version}.vsix`);
}
