/** A fleet of 100 accounts × 2 regions on moto (each account its own state through AssumeRole), behind a latency proxy. */
import type { FleetTarget } from '../src/core/fleet/model';
import { DEFAULT_FLEET_CONCURRENCY, runFleet, type FleetOutcome } from '../src/core/fleet/run';
import { sdkFleetDeps } from '../src/core/fleet/sdkDeps';
import { AwsSession } from '../src/core/session/session';
import { discoverRegion } from '../src/core/vip/discovery';
import { vipHealth } from '../src/core/vip/health';
import type { RegionSnapshot } from '../src/core/vip/model';
import { buildVipRouteTree, regionResultOf } from '../src/features/vipRoutes/model';
import { accountTree, fleetAnswers } from '../src/plumbing/accountGroups';
import { FLEET_RENDER_MS, RenderThrottle } from '../src/plumbing/renderThrottle';
import type { TreeNode } from '../src/plumbing/treeNode';
import { seedPairWorld } from '../test/support/pairWorld';
import { assumeRoleCredentials } from '../src/core/session/assumeRole';
import { startFaultProxy } from '../test/support/faultProxy';
import { MOTO_CREDENTIALS, startMoto } from '../test/support/moto';
import type { BenchContext, BenchRow } from './run';

const ACCOUNTS = 100;
const REGIONS = ['us-east-1', 'eu-west-1'];
/**
 * A typical EC2 Describe call from a workstation to a nearby region (round trip plus AWS's own time: 80–150 ms);
 * moto alone answers in ~5 ms, which would hide the waiting a fleet overlaps. moto serves one call at a time
 * (~100 calls/s here), which caps the fleet run, not the sequential one.
 */
const LATENCY_MS = 100;

export async function rows(ctx: BenchContext): Promise<BenchRow[]> {
  const moto = await startMoto();
  const proxy = await startFaultProxy({ target: moto.url, latencyMs: LATENCY_MS });
  try {
    const deps = sdkFleetDeps({ region: REGIONS[0], endpointUrl: proxy.url, profileNames: async () => [], credentials: () => async () => MOTO_CREDENTIALS });
    const targets = (): FleetTarget[] => Array.from({ length: ACCOUNTS }, (_, i) => {
      const accountId = String(100000000000 + i);
      const roleArn = `arn:aws:iam::${accountId}:role/OrganizationAccountAccessRole`;
      return { label: `acct-${i}`, profile: 'mgmt', accountId, roleArn, credentials: deps.assumeRole('mgmt', roleArn) };
    });
    const discover = (credentials: FleetTarget['credentials'], region: string) =>
      discoverRegion(new AwsSession({ region, endpointUrl: proxy.url }, credentials, () => undefined));
    // A pair in each account's first region (straight to moto: seeding is not measured), so the trees have rows.
    for (const target of targets()) {
      const seeding = new AwsSession({ region: REGIONS[0], endpointUrl: moto.url }, assumeRoleCredentials(async () => MOTO_CREDENTIALS, target.roleArn as string, { region: REGIONS[0], endpointUrl: moto.url }), () => undefined);
      await seedPairWorld(seeding.client('ec2'), { tables: 2, kind: 'instance', name: target.label });
      seeding.destroy();
    }
    // Warm moto's backends of every account and region so that neither side pays their first load.
    await runFleet(targets(), (a, r) => discover(a.credentials, r), { regions: REGIONS, concurrency: 16, accountTimeoutMs: 600_000, identify: () => Promise.reject(new Error('known')) }, () => undefined);

    const sequentialStart = performance.now();
    for (const target of targets()) await Promise.all(REGIONS.map((region) => discover(target.credentials, region)));
    const sequentialMs = performance.now() - sequentialStart;
    ctx.log(`sequential: ${Math.round(sequentialMs)} ms`);

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    proxy.resetCounts();
    // As the VIP Routes view does: the trees are built as accounts answer, at most every FLEET_RENDER_MS.
    const outcomes: Array<FleetOutcome<RegionSnapshot>> = [];
    let tree: TreeNode[] = [];
    let firstMs = 0;
    const started = performance.now();
    const throttle = new RenderThrottle(() => {
      const { regions, failures } = fleetAnswers(outcomes);
      tree = accountTree(regions.map(regionResultOf), failures, (rs) => buildVipRouteTree(rs), (rs) => vipHealth(rs).withProblems);
      firstMs ||= performance.now() - started;
    }, FLEET_RENDER_MS);
    await runFleet(targets(), (a, r) => discover(a.credentials, r), {
      regions: REGIONS, concurrency: DEFAULT_FLEET_CONCURRENCY, accountTimeoutMs: 60_000, identify: () => Promise.reject(new Error('known')),
    }, (outcome, progress) => {
      outcomes.push(outcome);
      if (progress.answered === progress.total) throttle.flush();
      else throttle.request();
    });
    const fleetMs = performance.now() - started;
    const answered = outcomes.filter((o) => o.kind === 'account').length;
    const vpcRows = tree.reduce((n, account) => n + (account.children ?? []).reduce((m, region) => m + (region.children?.length ?? 0), 0), 0);
    const calls = Object.values(proxy.counts()).reduce((n, c) => n + c, 0);
    global.gc?.();
    const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    if (answered !== ACCOUNTS || tree.length !== ACCOUNTS || vpcRows < ACCOUNTS) throw new Error(`only ${answered} accounts answered, ${tree.length} account rows, ${vpcRows} VPC rows`);
    const speedup = sequentialMs / fleetMs;
    const ratio = firstMs / fleetMs;
    const perPair = calls / (ACCOUNTS * REGIONS.length);
    return [
      { name: 'fleet_calls_100acct', value: calls, goal: 'O(accounts × regions × pages)', note: `${perPair.toFixed(1)} per account-region, incl. one AssumeRole per account; ${describe(proxy.counts())}` },
      { name: 'fleet_speedup_vs_sequential', value: speedup, goal: '≥ 5', note: `${Math.round(sequentialMs)} ms one account after another ÷ ${Math.round(fleetMs)} ms fleet (concurrency ${DEFAULT_FLEET_CONCURRENCY}, ${LATENCY_MS} ms per call); moto serves one call at a time: ${Math.round(calls / (fleetMs / 1000))} calls/s during the fleet run${speedup >= 5 ? '' : '; GOAL MISSED'}` },
      { name: 'fleet_first_rows_ratio', value: ratio, goal: '≤ 0.2', note: `first account's rows in the tree after ${Math.round(firstMs)} ms${ratio <= 0.2 ? '' : '; GOAL MISSED'}` },
      { name: 'fleet_heap_mb_100acct', value: heapMb, goal: '≤ 50', note: `${ACCOUNTS} account rows, ${vpcRows} VPC rows beneath them, held with their snapshots${global.gc ? '' : ' (no --expose-gc: upper bound)'}${heapMb <= 50 ? '' : '; GOAL MISSED'}` },
    ];
  } finally {
    await proxy.stop();
    await moto.stop();
  }
}

function describe(counts: Record<string, number>): string {
  return Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)).map(([op, n]) => `${op} ${n}`).join(', ');
}
