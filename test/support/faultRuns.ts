import { EC2Client, ReplaceRouteCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { FailoverReport } from '../../src/core/failover/execute';
import { prepareFailover, runFailover } from '../../src/core/failover/failover';
import { formatReport } from '../../src/core/failover/report';
import { mapBounded, sleep } from '../../src/core/failover/bounded';
import type { ReadTiming } from '../../src/core/failover/stableReads';
import { AwsSession } from '../../src/core/session/session';
import { mulberry32, startFaultProxy, type FaultKind, type FaultProxy } from './faultProxy';
import { MOTO_CREDENTIALS } from './moto';
import { AMI, seedPairWorld, vipTargets, type PairWorld } from './pairWorld';

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
  /** Longest stale window after a route write (each drawn in 0..staleMs); 0 or absent: reads are consistent. */
  staleMs?: number;
  /** Share of runs in which a third party really moves one table (ReplaceRoute on moto) during the run. */
  thirdParty?: number;
  /** The failover's read-back timing; absent: the product's. */
  reads?: Partial<ReadTiming>;
}

type Problem = { run: number; why: string };

export interface FaultRunSummary {
  runs: number;
  moved: number;
  rolledBack: number;
  /** A third party moved a table to the other node and both settled on one node (verified). */
  converged: number;
  /** Planning failed on faults before any write (verified unchanged). */
  notStarted: number;
  /** Runs whose end state was neither all-moved nor all-restored, or whose report differed from moto: must be 0. */
  inconsistent: Problem[];
  /** Runs whose final state (moto's) is not the target nor a rollback the report verified: must be 0. */
  reversed: Problem[];
  /** Runs whose report called a table verified while moto held something else: must be 0. */
  falseVerified: Problem[];
  /** Third-party moves made during runs, by kind. */
  thirdPartyMoves: Partial<Record<ThirdPartyMove['kind'], number>>;
  staleAnswers: number;
  faults: Partial<Record<FaultKind, number>>;
  requests: number;
  ms: number;
}

/** What the third party did in one run: pointed a table at a stranger, at the run's target, or back at its source. */
interface ThirdPartyMove {
  kind: 'foreign' | 'to' | 'from';
  routeTableId: string;
  target: string;
}

interface Lane {
  world: PairWorld;
  session: AwsSession;
  /** An instance of no pair: the stranger a third party may point a table at. */
  stranger: string;
}

/**
 * Fails pairs over back and forth through a fault-injecting proxy (which may also answer reads stale and let a
 * third party move a table mid-run) and checks every run against moto's real state, read directly: it must end
 * all moved or all rolled back (tables the third party took excepted), or, after a third party moved a table to
 * the other node, converged; its report must say exactly what moto holds, and never call a table verified that is not.
 */
export async function runFaultyFailovers(options: FaultRunOptions): Promise<FaultRunSummary> {
  const proxy = await startFaultProxy({ target: options.motoUrl, rate: 0, seed: options.seed, stale: options.staleMs ? { maxMs: options.staleMs } : undefined });
  const thirdParty = new EC2Client({ region: 'us-east-1', endpoint: proxy.faultFreeUrl, credentials: MOTO_CREDENTIALS });
  const random = mulberry32(options.seed + 7);
  const summary: FaultRunSummary = {
    runs: 0, moved: 0, rolledBack: 0, converged: 0, notStarted: 0, inconsistent: [], reversed: [], falseVerified: [], thirdPartyMoves: {}, staleAnswers: 0, faults: {}, requests: 0, ms: 0,
  };
  const lanes = await mapBounded(Array.from({ length: options.lanes }, (_, i) => i), 2, async (i): Promise<Lane> => ({
    world: await seedPairWorld(options.direct, { tables: options.tables, kind: i % 2 ? 'eni' : 'instance', name: `lane${i}` }),
    session: new AwsSession({ region: 'us-east-1', endpointUrl: proxy.url }, async () => MOTO_CREDENTIALS, () => undefined, options.maxAttempts, options.timeoutMs),
    stranger: (await options.direct.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId as string,
  }));
  const started = performance.now();
  proxy.setRate(options.rate);
  let next = 0;
  try {
    await Promise.all(lanes.map(async (lane) => {
      while (next < options.runs) {
        const run = next++;
        const move = random() < (options.thirdParty ?? 0) ? pickMove(lane, random) : undefined;
        const verdict = await oneRun(lane, options, proxy, move && { move, client: thirdParty, delayMs: random() * 200 });
        await makeWhole(lane, options.direct);
        summary.runs++;
        if (verdict.moved) summary.thirdPartyMoves[verdict.moved.kind] = (summary.thirdPartyMoves[verdict.moved.kind] ?? 0) + 1;
        if (verdict.outcome === 'moved') summary.moved++;
        else if (verdict.outcome === 'rolled-back') summary.rolledBack++;
        else if (verdict.outcome === 'converged') summary.converged++;
        else if (verdict.outcome === 'not-started') summary.notStarted++;
        else summary.inconsistent.push({ run, why: verdict.outcome.why });
        if (verdict.reversed) summary.reversed.push({ run, why: verdict.reversed });
        if (verdict.falseVerified) summary.falseVerified.push({ run, why: verdict.falseVerified });
      }
    }));
  } finally {
    summary.ms = performance.now() - started;
    summary.faults = proxy.faults();
    summary.staleAnswers = proxy.staleAnswers();
    summary.requests = Object.values(proxy.counts()).reduce((a, b) => a + b, 0);
    for (const lane of lanes) lane.session.destroy();
    thirdParty.destroy();
    await proxy.stop();
  }
  return summary;
}

interface Verdict {
  outcome: 'moved' | 'rolled-back' | 'converged' | 'not-started' | { why: string };
  reversed?: string;
  falseVerified?: string;
  /** The third party's move, when it really happened. */
  moved?: ThirdPartyMove;
}

function pickMove(lane: Lane, random: () => number): Omit<ThirdPartyMove, 'target'> {
  const kinds: Array<ThirdPartyMove['kind']> = ['foreign', 'to', 'from'];
  return { kind: kinds[Math.floor(random() * kinds.length)], routeTableId: lane.world.routeTableIds[Math.floor(random() * lane.world.routeTableIds.length)] };
}

async function oneRun(lane: Lane, options: FaultRunOptions, proxy: FaultProxy, third?: { move: Omit<ThirdPartyMove, 'target'>; client: EC2Client; delayMs: number }): Promise<Verdict> {
  const { world, session } = lane;
  const { direct } = options;
  // The previous run's writes have shown through: the plan is read before a person confirms it, not milliseconds after a failover.
  await sleep(Math.max(0, proxy.staleUntil(world.routeTableIds) - Date.now()));
  const before = await vipTargets(direct, world.vpcId, world.cidr);
  const holders = new Set(world.routeTableIds.map((id) => before[id]));
  if (holders.size !== 1) return { outcome: { why: `the run started from a split state: ${JSON.stringify(before)}` } };
  const onA = holders.has(world.nodeA) || holders.has(world.eniA);
  const to = onA ? world.nodeB : world.nodeA;
  const from = onA ? world.nodeA : world.nodeB;
  const eni = world.nodeA === to ? world.eniA : world.eniB;
  const asRouted = (node: string) => (holders.has(world.eniA) || holders.has(world.eniB) ? (node === world.nodeA ? world.eniA : world.eniB) : node);
  let moved: Promise<ThirdPartyMove | undefined> = Promise.resolve(undefined);
  let report: FailoverReport;
  try {
    const prepared = await prepareFailover(session, { vpcId: world.vpcId, cidrs: [world.cidr], nodeIds: [world.nodeA, world.nodeB], toInstanceId: to });
    report = await runFailover(session, prepared, {
      concurrency: 10,
      reads: options.reads,
      onProgress: (p) => {
        // After the run's first write: a third party (keepalived, another operator) really moves one table.
        if (third && p.phase === 'moving' && p.done === 1) {
          const target = third.move.kind === 'foreign' ? lane.stranger : asRouted(third.move.kind === 'to' ? to : from);
          moved = sleep(third.delayMs)
            .then(() => third.client.send(new ReplaceRouteCommand({ RouteTableId: third.move.routeTableId, DestinationCidrBlock: world.cidr, ...targetParam(target) })))
            .then(() => ({ ...third.move, target }), () => undefined);
        }
      },
    });
  } catch (error) {
    // Only planning reads can throw; they write nothing, which the truth must confirm.
    const after = await vipTargets(direct, world.vpcId, world.cidr);
    return { outcome: sameRoutes(after, before) ? 'not-started' : { why: `threw (${(error as Error).message}) after changing routes` } };
  }
  const thirdMove = await moved;
  const after = await vipTargets(direct, world.vpcId, world.cidr);
  const text = () => `\n${formatReport(report).join('\n')}`;
  const mismatch = report.tables.find((t) => said(t.final) !== after[t.routeTableId]);
  const falseVerified = report.tables.find((t) => t.verified && said(t.final) !== after[t.routeTableId]);
  // The third party's table stays its own when its move stands.
  const taken = (id: string) => thirdMove?.routeTableId === id && after[id] === thirdMove.target;
  const atTarget = world.routeTableIds.every((id) => taken(id) || after[id] === to || after[id] === eni);
  const restored = report.result === 'rolled-back' && world.routeTableIds.every((id) => taken(id) || after[id] === before[id]);
  const nodeOf = (id: string) => (id === world.eniA ? world.nodeA : id === world.eniB ? world.nodeB : id);
  const converged = report.result === 'converged' && thirdMove?.kind === 'from' && world.routeTableIds.every((id) => nodeOf(after[id]) === report.settledOn);
  const verdict: Verdict = {
    outcome: 'moved',
    moved: thirdMove,
    reversed: atTarget || restored || converged ? undefined : `result ${report.result}, from ${from} to ${to}, third party ${JSON.stringify(thirdMove)}, moto: ${JSON.stringify(after)}${text()}`,
    falseVerified: falseVerified && `report verified ${falseVerified.routeTableId} → ${said(falseVerified.final)}, moto has ${after[falseVerified.routeTableId]}${text()}`,
  };
  if (mismatch) verdict.outcome = { why: `report says ${mismatch.routeTableId} → ${said(mismatch.final)}, moto says ${after[mismatch.routeTableId]}${text()}` };
  else if (report.result === 'moved' && atTarget) verdict.outcome = 'moved';
  else if (restored) verdict.outcome = 'rolled-back';
  else if (converged) verdict.outcome = 'converged';
  else verdict.outcome = { why: `result ${report.result}, routes ${JSON.stringify(after)}${text()}` };
  return verdict;
}

/** A run may leave a table where a third party put it; the next starts from a whole pair again (set up straight on moto). */
async function makeWhole(lane: Lane, direct: EC2Client): Promise<void> {
  const { world } = lane;
  const now = await vipTargets(direct, world.vpcId, world.cidr);
  const onA = world.routeTableIds.filter((id) => [world.nodeA, world.eniA].includes(now[id])).length * 2 >= world.routeTableIds.length;
  const kind = world.routeTableIds.some((id) => now[id]?.startsWith('eni-')) ? 'eni' : 'instance';
  const want = kind === 'eni' ? (onA ? world.eniA : world.eniB) : onA ? world.nodeA : world.nodeB;
  for (const id of world.routeTableIds.filter((t) => now[t] !== want)) {
    await direct.send(new ReplaceRouteCommand({ RouteTableId: id, DestinationCidrBlock: world.cidr, ...targetParam(want) }));
  }
}

function said(final: FailoverReport['tables'][number]['final']): string {
  return final.kind === 'route' ? final.target.id : final.kind === 'no-route' ? 'none' : final.kind;
}

function targetParam(id: string): { InstanceId: string } | { NetworkInterfaceId: string } {
  return id.startsWith('eni-') ? { NetworkInterfaceId: id } : { InstanceId: id };
}

function sameRoutes(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
