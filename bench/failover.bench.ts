/**
 * Failover of 50 route tables: the extension core (plan reads, preflight, conditional parallel replace,
 * read-back verification) against the seed's approach (a sequential `aws ec2 replace-route` loop), both on
 * the same moto; then 1,000 failovers through a proxy injecting 20% faults.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { prepareFailover, runFailover } from '../src/core/failover/failover';
import { SessionPool } from '../src/core/session/pool';
import { runFaultyFailovers } from '../test/support/faultRuns';
import { MOTO_CREDENTIALS, startMoto, type Moto } from '../test/support/moto';
import { seedPairWorld, vipTargets, type PairWorld } from '../test/support/pairWorld';
import type { BenchContext, BenchRow } from './run';

const TABLES = 50;
const CORE_ROUNDS = 5;
const FAULT_RUNS = 1000;

const run = promisify(execFile);

export async function rows(ctx: BenchContext): Promise<BenchRow[]> {
  const moto = await startMoto();
  try {
    return [...(await speedRows(ctx, moto)), await faultRow(ctx, moto)];
  } finally {
    await moto.stop();
  }
}

async function speedRows(ctx: BenchContext, moto: Moto): Promise<BenchRow[]> {
  const pool = new SessionPool(() => undefined, () => ({ override: async () => MOTO_CREDENTIALS }));
  try {
    const session = pool.get({ region: 'us-east-1', endpointUrl: moto.url });
    const world = await seedPairWorld(session.client('ec2'), { tables: TABLES, kind: 'instance' });
    const cliVersion = (await run('aws', ['--version'])).stdout.trim() || (await run('aws', ['--version'])).stderr.trim();
    await failover(session, world, world.nodeB); // warm moto and the SDK before timing either side

    const cliStarted = performance.now();
    await cliLoop(moto.url, world, world.nodeA);
    const cliMs = performance.now() - cliStarted;
    await assertAllAt(session.client('ec2'), world, world.nodeA, 'the CLI loop');
    ctx.log(`aws CLI (${cliVersion.split(' ')[0]}): ${TABLES} sequential replace-route in ${Math.round(cliMs)} ms`);

    const coreMs: number[] = [];
    for (let round = 0; round < CORE_ROUNDS; round++) {
      const to = round % 2 ? world.nodeA : world.nodeB;
      const started = performance.now();
      const report = await failover(session, world, to);
      coreMs.push(performance.now() - started);
      if (report !== 'moved') throw new Error(`core failover ended ${report}`);
      await assertAllAt(session.client('ec2'), world, to, 'the core failover');
    }
    const core = median(coreMs);
    ctx.log(`core: ${coreMs.map(Math.round).join(' ')} ms`);
    return [
      { name: 'failover_ms_50rt', value: core, note: `median of ${CORE_ROUNDS}: plan reads + preflight + conditional replace (10 in flight) + read-back` },
      { name: 'failover_ratio_vs_cli', value: cliMs / core, goal: '≥ 30', note: `${cliVersion.split(' ')[0]} loop: ${Math.round(cliMs)} ms for ${TABLES} replace-route, no verification${cliMs / core >= 30 ? '' : ' — GOAL MISSED'}` },
    ];
  } finally {
    pool.clear();
  }
}

async function faultRow(ctx: BenchContext, moto: Moto): Promise<BenchRow> {
  await moto.reset();
  const direct = new EC2Client({ region: 'us-east-1', endpoint: moto.url, credentials: MOTO_CREDENTIALS });
  try {
    const summary = await runFaultyFailovers({ motoUrl: moto.url, direct, runs: FAULT_RUNS, lanes: 16, tables: 3, rate: 0.2, seed: 1000, timeoutMs: 300, maxAttempts: 3 });
    const faults = Object.values(summary.faults).reduce((a, b) => a + (b ?? 0), 0);
    ctx.log(`fault runs: ${JSON.stringify({ ...summary, inconsistent: summary.inconsistent.slice(0, 3), ms: Math.round(summary.ms) })}`);
    return {
      name: 'faults_1000_inconsistent',
      value: summary.inconsistent.length,
      goal: '0',
      note: `${summary.runs} runs in ${(summary.ms / 1000).toFixed(0)} s: ${summary.moved} moved, ${summary.rolledBack} rolled back, ${summary.notStarted} stopped while planning; ${faults} faults in ${summary.requests} requests`,
    };
  } finally {
    direct.destroy();
  }
}

async function failover(session: ReturnType<SessionPool['get']>, world: PairWorld, to: string): Promise<string> {
  const prepared = await prepareFailover(session, { vpcId: world.vpcId, cidrs: [world.cidr], nodeIds: [world.nodeA, world.nodeB], toInstanceId: to });
  return (await runFailover(session, prepared, { concurrency: 10 })).result;
}

/** The seed's master.sh: one `aws ec2 replace-route` per table, one after the other. */
async function cliLoop(endpointUrl: string, world: PairWorld, to: string): Promise<void> {
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    // Never read the user's ~/.aws.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  for (const table of world.routeTableIds) {
    await run('aws', ['ec2', 'replace-route', '--endpoint-url', endpointUrl, '--route-table-id', table, '--destination-cidr-block', world.cidr, '--instance-id', to], { env });
  }
}

async function assertAllAt(ec2: EC2Client, world: PairWorld, node: string, who: string): Promise<void> {
  const targets = await vipTargets(ec2, world.vpcId, world.cidr);
  const wrong = world.routeTableIds.filter((id) => targets[id] !== node);
  if (wrong.length) throw new Error(`${who} left ${wrong.length} table(s) elsewhere`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
