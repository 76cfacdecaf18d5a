/**
 * The file Lambda will run: dist/agent.js, alone in a folder as index.js (the template's inline Code.ZipFile),
 * loaded by Node 24 (the test host's; Lambda's runtime is Node 22) with the SDK v3 found only on NODE_PATH, as
 * Lambda provides it. Its exported handler gets EventBridge's and Scheduler's events, and works against moto.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DescribeInstancesCommand, StartInstancesCommand } from '@aws-sdk/client-ec2';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { HOLIDAYS_PARAMETER } from '../../../src/core/jumpbox/agentStack';
import { scheduledEvent, stateChangeEvent } from '../../support/agentEvents';
import { createZone, launch, readARecord, REGION, world } from '../../support/jumpboxSeed';
import { MOTO_CREDENTIALS } from '../../support/moto';
import { useMoto } from '../../support/useMoto';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BUILT = join(ROOT, 'dist', 'agent.js');

describe('the bundled agent (dist/agent.js) under Node ≥ 22 with the SDK Lambda provides', () => {
  const moto = useMoto({ reset: false });
  let node: string;
  let dir: string;

  before(() => {
    assert.ok(existsSync(BUILT), 'dist/agent.js is missing: run node scripts/build.mjs');
    node = (JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts', 'vscode-host', 'install.mjs')], { encoding: 'utf8' })) as { node: string }).node;
    dir = mkdtempSync(join(tmpdir(), 'awsops-agent-'));
    copyFileSync(BUILT, join(dir, 'index.js'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** One invocation in a fresh Node process, as a cold Lambda container would run it. */
  const invoke = (event: unknown, zoneId: string) => {
    const script = 'require("./index.js").handler(JSON.parse(process.env.EVENT)).then((r) => console.log(JSON.stringify({ node: process.version, r })))';
    const output = execFileSync(node, ['-e', script], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        NODE_PATH: join(ROOT, 'node_modules'),
        EVENT: JSON.stringify(event),
        AWS_ENDPOINT_URL: moto.url,
        AWS_REGION: REGION,
        AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
        JUMPBOX_TAG_KEY: 'awsops:jumpbox',
        DNS_ZONES: zoneId,
        DNS_WAIT_SECONDS: '30',
      },
    });
    return JSON.parse(output.trim().split('\n').pop() as string) as { node: string; r: { outcome: string; message: string } };
  };

  it('points the record at a jumpbox started outside VS Code, and skips a start on a holiday', async () => {
    const { session } = world(moto);
    const zoneId = await createZone(session, 'example.com');
    const id = await launch(session, { 'awsops:jumpbox': '', 'awsops:dns': 'jump.example.com', 'awsops:schedule': 'Sun-Sat 08:00-18:00 UTC' }, 'stopped');
    await session.client('ec2').send(new StartInstancesCommand({ InstanceIds: [id] }));
    const ip = (await session.client('ec2').send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]?.PublicIpAddress;

    const running = invoke(stateChangeEvent(REGION, id, 'running'), zoneId);
    assert.ok(Number(/^v(\d+)/.exec(running.node)?.[1]) >= 22, running.node);
    assert.deepEqual(running.r, { instanceId: id, outcome: 'done', message: `running at ${ip}; jump.example.com → ${ip}` });
    assert.deepEqual(await readARecord(session, zoneId, 'jump.example.com'), { ips: [ip], ttl: 60 });

    await session.client('ssm').send(new PutParameterCommand({ Name: HOLIDAYS_PARAMETER, Type: 'String', Value: '["2026-12-25"]', Overwrite: true }));
    const holiday = invoke(scheduledEvent('start', id, new Date('2026-12-25T08:00:00Z')), zoneId);
    assert.deepEqual(holiday.r, { instanceId: id, outcome: 'skipped', message: 'scheduled start skipped: holiday 2026-12-25' });
  });
});
