import type { EC2Client } from '@aws-sdk/client-ec2';
import type { FailoverReport } from '../../src/core/failover/execute';
import { prepareFailover, runFailover } from '../../src/core/failover/failover';
import { formatReport } from '../../src/core/failover/report';
import { mapBounded } from '../../src/core/failover/bounded';
import { AwsSession } from '../../src/core/session/session';
import { startFaultProxy, type FaultKind } from './faultProxy';
import { MOTO_CREDENTIALS } from './moto';
import { seedPairWorld, vipTargets, type PairWorld } from './pairWorld';

export interface FaultRunOptions {
  motoUrl: string;
  /** A client straight to moto (no faults) for seeding and for reading the truth. */
  direct: EC2Client;
  runs: number;
  /** Independent pairs failing over at the same time, each with its own VPC and client. */
  lanes: number;
  tables: number;
  rate: number;
  seed: number;
  /** The client's request timeout: a hung request costs this much before it is retried. */
  timeoutMs: number;
  /** SDK attempts per call (the product uses 5); fewer make calls fail through to the failover's own rollback. */
  maxAttempts: number;
}

export interface FaultRunSummary {
  runs: number;
  moved: number;
  rolledBack: number;
  /** Planning failed on faults before any write (verified unchanged). */
  notStarted: number;
  /** Runs whose end state was neither all-moved nor all-restored, or whose report differed from moto: must be 0. */
  inconsistent: Array<{ run: number; why: string }>;
  faults: Partial<Record<FaultKind, number>>;
  requests: number;
  ms: number;
}

/**
 * Fails pairs over back and forth through a fault-injecting proxy and checks every run against moto's
 * real state: it must end all moved or all rolled back, and its report must say exactly what moto holds.
 */
export async function runFaultyFailovers(options: FaultRunOptions): Promise<FaultRunSummary> {
  const proxy = await startFaultProxy({ target: options.motoUrl, rate: 0, seed: options.seed });
  const summary: FaultRunSummary = { runs: 0, moved: 0, rolledBack: 0, notStarted: 0, inconsistent: [], faults: {}, requests: 0, ms: 0 };
  const lanes = await mapBounded(Array.from({ length: options.lanes }, (_, i) => i), 2, async (i) => ({
    world: await seedPairWorld(options.direct, { tables: options.tables, kind: i % 2 ? 'eni' : 'instance', name: `lane${i}` }),
    session: new AwsSession({ region: 'us-east-1', endpointUrl: proxy.url }, async () => MOTO_CREDENTIALS, () => undefined, options.maxAttempts, options.timeoutMs),
  }));
  const started = performance.now();
  proxy.setRate(options.rate);
  let next = 0;
  try {
    await Promise.all(lanes.map(async ({ world, session }) => {
      while (next < options.runs) {
        const run = next++;
        const outcome = await oneRun(world, session, options.direct);
        summary.runs++;
        if (outcome === 'moved') summary.moved++;
        else if (outcome === 'rolled-back') summary.rolledBack++;
        else if (outcome === 'not-started') summary.notStarted++;
        else summary.inconsistent.push({ run, why: outcome.why });
      }
    }));
  } finally {
    summary.ms = performance.now() - started;
    summary.faults = proxy.faults();
    summary.requests = Object.values(proxy.counts()).reduce((a, b) => a + b, 0);
    for (const lane of lanes) lane.session.destroy();
    await proxy.stop();
  }
  return summary;
}

async function oneRun(world: PairWorld, session: AwsSession, direct: EC2Client): Promise<'moved' | 'rolled-back' | 'not-started' | { why: string }> {
  const before = await vipTargets(direct, world.vpcId, world.cidr);
  const holders = new Set(world.routeTableIds.map((id) => before[id]));
  const onA = holders.has(world.nodeA) || holders.has(world.eniA);
  if (holders.size !== 1) return { why: `the run started from a split state: ${JSON.stringify(before)}` };
  const to = onA ? world.nodeB : world.nodeA;
  let report: FailoverReport;
  try {
    const prepared = await prepareFailover(session, { vpcId: world.vpcId, cidrs: [world.cidr], nodeIds: [world.nodeA, world.nodeB], toInstanceId: to });
    report = await runFailover(session, prepared, { concurrency: 10 });
  } catch (error) {
    // Only planning reads can throw; they write nothing, which the truth must confirm.
    const after = await vipTargets(direct, world.vpcId, world.cidr);
    return sameRoutes(after, before) ? 'not-started' : { why: `threw (${(error as Error).message}) after changing routes` };
  }
  const after = await vipTargets(direct, world.vpcId, world.cidr);
  for (const table of report.tables) {
    const said = table.final.kind === 'route' ? table.final.target.id : table.final.kind;
    if (said !== after[table.routeTableId]) return { why: `report says ${table.routeTableId} → ${said}, moto says ${after[table.routeTableId]}\n${formatReport(report).join('\n')}` };
  }
  const want = to === world.nodeA ? [world.nodeA, world.eniA] : [world.nodeB, world.eniB];
  if (report.result === 'moved' && world.routeTableIds.every((id) => want.includes(after[id]))) return 'moved';
  if (report.result === 'rolled-back' && sameRoutes(after, before)) return 'rolled-back';
  return { why: `result ${report.result}, routes ${JSON.stringify(after)}\n${formatReport(report).join('\n')}` };
}

function sameRoutes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
