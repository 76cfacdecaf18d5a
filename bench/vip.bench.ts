/** VIP discovery at scale (1,000 route tables, 500 instances in moto) and profile listing (5,000 profiles). */
import { paginateDescribeInstances, paginateDescribeRouteTables, paginateDescribeSubnets, paginateDescribeVpcs } from '@aws-sdk/client-ec2';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { profilePicks } from '../src/core/fleet/profilePicks';
import type { CallRecord } from '../src/core/session/callLog';
import { SessionPool } from '../src/core/session/pool';
import type { AwsSession } from '../src/core/session/session';
import { listProfiles } from '../src/core/session/profiles';
import { discoverRegion } from '../src/core/vip/discovery';
import { MOTO_CREDENTIALS, startMoto } from '../test/support/moto';
import type { BenchContext, BenchRow } from './run';
import { seedThousandTables, THOUSAND_TABLES } from './world1000';

const ROUNDS = 7;

export async function rows(ctx: BenchContext): Promise<BenchRow[]> {
  return [...(await refreshRows(ctx)), await profilesRow(ctx)];
}

async function refreshRows(ctx: BenchContext): Promise<BenchRow[]> {
  const moto = await startMoto();
  const calls: CallRecord[] = [];
  const pool = new SessionPool((record) => calls.push(record), () => ({ override: async () => MOTO_CREDENTIALS }));
  try {
    const session = pool.get({ region: 'us-east-1', endpointUrl: moto.url });
    const started = performance.now();
    const instanceIds = await seedThousandTables(session);
    const seedSeconds = (performance.now() - started) / 1000;
    ctx.log(`seeded ${THOUSAND_TABLES.tables} route tables, ${instanceIds.length} instances: ${calls.length} calls in ${seedSeconds.toFixed(1)} s`);

    calls.length = 0;
    const snapshot = await discoverRegion(session);
    const refreshOps = calls.map((c) => c.operation).sort();
    const tables = snapshot.vpcs.reduce((n, v) => n + v.routeTables.length, 0);
    const mainTables = snapshot.vpcs.reduce((n, v) => n + v.routeTables.filter((t) => t.isMain).length, 0);
    const vips = snapshot.vpcs.reduce((n, v) => n + v.vips.length, 0);
    calls.length = 0;
    await rawCalls(session, instanceIds);
    const rawOps = calls.map((c) => c.operation).sort();
    if (rawOps.join() !== refreshOps.join()) throw new Error(`the baseline makes other calls: ${rawOps.join()} vs ${refreshOps.join()}`);

    const refreshMs: number[] = [];
    const rawMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate the order so that neither side always runs on a warmer moto.
      const pair = [() => timed(refreshMs, () => discoverRegion(session)), () => timed(rawMs, () => rawCalls(session, instanceIds))];
      for (const run of round % 2 ? pair.reverse() : pair) await run();
    }
    const refresh = median(refreshMs);
    const raw = median(rawMs);
    const ratio = refresh / raw;
    ctx.log(`refresh ms ${refreshMs.map(Math.round).join(' ')} | raw ms ${rawMs.map(Math.round).join(' ')}`);
    return [
      {
        name: 'refresh_calls_1000rt', value: refreshOps.length, goal: 'O(pages)',
        note: `${tables} tables (incl. ${mainTables} main), ${Object.keys(snapshot.instances).length} instances, ${vips} VIPs; ${countOps(refreshOps)}; moto returns one page per list (real EC2: ≤100 tables/page → ${refreshOps.length + Math.ceil(tables / 100) - 1})`,
      },
      { name: 'refresh_ms_1000rt', value: refresh, note: `median of ${ROUNDS}, interleaved with raw` },
      { name: 'raw_sdk_ms_1000rt', value: raw, note: 'the same SDK calls, results discarded' },
      { name: 'refresh_over_raw_1000rt', value: ratio, goal: '≤ 1.2', note: ratio <= 1.2 ? `seed ${seedSeconds.toFixed(0)} s` : 'GOAL MISSED' },
    ];
  } finally {
    pool.clear();
    await moto.stop();
  }
}

/** The calls one refresh makes, with nothing built from the answers: the floor a refresh is compared with. */
async function rawCalls(session: AwsSession, instanceIds: readonly string[]): Promise<void> {
  const client = session.client('ec2');
  const drain = async (pages: AsyncIterable<unknown>) => {
    for await (const page of pages) void page;
  };
  await Promise.all([
    drain(paginateDescribeVpcs({ client, pageSize: 1000 }, {})),
    drain(paginateDescribeRouteTables({ client, pageSize: 100 }, {})),
    drain(paginateDescribeSubnets({ client, pageSize: 1000 }, {})),
  ]);
  const batches: Promise<void>[] = [];
  for (let i = 0; i < instanceIds.length; i += 200) {
    batches.push(drain(paginateDescribeInstances({ client, pageSize: 1000 }, { Filters: [{ Name: 'instance-id', Values: instanceIds.slice(i, i + 200) }] })));
  }
  await Promise.all(batches);
}

async function profilesRow(ctx: BenchContext): Promise<BenchRow> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'awsops-bench-'));
  try {
    const configFile = path.join(dir, 'config');
    const credentialsFile = path.join(dir, 'credentials');
    const config: string[] = ['[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', 'sso_region = eu-west-1', ''];
    const credentials: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 3 === 0) {
        config.push(`[profile acct-${i}]`, `role_arn = arn:aws:iam::${String(i).padStart(12, '0')}:role/Ops`, 'source_profile = base', 'region = eu-west-1', '');
      } else if (i % 3 === 1) {
        config.push(`[profile sso-${i}]`, 'sso_session = corp', `sso_account_id = ${String(i).padStart(12, '0')}`, 'sso_role_name = Dev', '');
      } else {
        credentials.push(`[static-${i}]`, 'aws_access_key_id = AKIAEXAMPLE', 'aws_secret_access_key = example', '');
      }
    }
    fs.writeFileSync(configFile, config.join('\n'));
    fs.writeFileSync(credentialsFile, credentials.join('\n'));
    const samples: number[] = [];
    let count = 0;
    for (let i = 0; i < ROUNDS + 1; i++) {
      const started = performance.now();
      // As "Select Profiles…" does: read them, then build its multi-select with two patterns chosen.
      const profiles = await listProfiles({ configFile, credentialsFile });
      count = profilePicks(profiles, ['prod-*', 'static-1?', 'sso-42']).length - 2;
      if (i > 0) samples.push(performance.now() - started);
    }
    const ms = median(samples);
    ctx.log(`listProfiles ms ${samples.map((s) => s.toFixed(1)).join(' ')}`);
    return { name: 'profiles_5000_ms', value: ms, goal: '≤ 50', note: `${count} profiles read and offered in Select Profiles… (2 patterns), median of ${ROUNDS}${ms <= 50 ? '' : '; GOAL MISSED'}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function timed(samples: number[], fn: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  await fn();
  samples.push(performance.now() - started);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function countOps(ops: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const op of ops) counts.set(op, (counts.get(op) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${op}×${n}`).join(' ');
}
