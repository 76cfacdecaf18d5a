import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EC2Client, ReplaceRouteCommand, RunInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import type { FailoverReport } from '../../../../src/core/failover/execute';
import { prepareFailover, runFailover, type RunOptions } from '../../../../src/core/failover/failover';
import { formatReport } from '../../../../src/core/failover/report';
import { MOTO_CREDENTIALS, motoPool } from '../../../support/moto';
import { testReads } from '../../../support/testReads';
import { AMI, seedPairWorld, vipTargets, type PairWorld } from '../../../support/pairWorld';
import { useProxiedMoto } from '../../../support/useMoto';

const STALE_MS = 300;
const READS = testReads(STALE_MS);

describe('failover when EC2 reads are stale (fault proxy in front of moto)', () => {
  const aws = useProxiedMoto();

  /** A world whose routes point at the node with the lower id, failing over to the higher one: the old "settle on the lower id" rule then reverses it. */
  async function lowToHigh(tables: number): Promise<{ world: PairWorld; low: string; high: string }> {
    const world = await seedPairWorld(aws.ec2, { tables, kind: 'instance' });
    const [low, high] = [world.nodeA, world.nodeB].sort();
    for (const id of world.routeTableIds) await aws.ec2.send(new ReplaceRouteCommand({ RouteTableId: id, DestinationCidrBlock: world.cidr, InstanceId: low }));
    return { world, low, high };
  }

  async function failover(world: PairWorld, to: string, options: RunOptions = {}, session = aws.session): Promise<FailoverReport> {
    const prepared = await prepareFailover(session, { vpcId: world.vpcId, cidrs: [world.cidr], nodeIds: [world.nodeA, world.nodeB], toInstanceId: to });
    return runFailover(session, prepared, { reads: READS, ...options });
  }

  /** Straight to moto, past the proxy's faults but not its stale windows: someone else's writes. */
  function thirdParty(): EC2Client {
    return new EC2Client({ region: 'us-east-1', endpoint: aws.proxy.faultFreeUrl, credentials: MOTO_CREDENTIALS });
  }

  const targets = async (world: PairWorld) => {
    const truth = await vipTargets(aws.ec2, world.vpcId, world.cidr);
    return world.routeTableIds.map((id) => truth[id]);
  };

  /** Every table the report calls verified must hold what moto holds. */
  async function assertVerifiedIsTrue(report: FailoverReport, world: PairWorld) {
    const truth = await vipTargets(aws.ec2, world.vpcId, world.cidr);
    for (const table of report.tables.filter((t) => t.verified)) {
      const said = table.final.kind === 'route' ? table.final.target.id : table.final.kind;
      assert.equal(said, truth[table.routeTableId], `${table.routeTableId} verified at ${said}, moto has ${truth[table.routeTableId]}\n${formatReport(report).join('\n')}`);
    }
  }

  it('every table read stale after the write: re-reads instead of "converging" back, and verifies the real state', async () => {
    const { world, high } = await lowToHigh(3);
    aws.proxy.setStale({ minMs: STALE_MS, maxMs: STALE_MS });
    try {
      const report = await failover(world, high);
      const text = formatReport(report).join('\n');
      assert.equal(report.result, 'moved', text);
      assert.ok(report.tables.every((t) => t.verified && t.movedBy === 'this run'), text);
      assert.deepEqual(await targets(world), [high, high, high]);
      assert.ok(aws.proxy.staleAnswers() > 0, 'stale answers were really served');
      assert.equal(aws.proxy.counts().ReplaceRoute, 3, 'no table was written again from a stale read');
      await assertVerifiedIsTrue(report, world);
    } finally {
      aws.proxy.setStale(undefined);
    }
  });

  it('one table read stale is never taken for an opposite failover', async () => {
    const { world, high } = await lowToHigh(4);
    const staleTable = world.routeTableIds[1];
    aws.proxy.setStale({ minMs: STALE_MS, maxMs: STALE_MS, only: (id) => id === staleTable });
    try {
      const report = await failover(world, high);
      assert.equal(report.result, 'moved', formatReport(report).join('\n'));
      assert.deepEqual(await targets(world), [high, high, high, high]);
      assert.doesNotMatch(formatReport(report).join('\n'), /settle on/);
    } finally {
      aws.proxy.setStale(undefined);
    }
  });

  it('a third party that moves a table while its write still reads stale is seen, reported and never overwritten', async () => {
    const { world, low, high } = await lowToHigh(3);
    const foreign = (await aws.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId as string;
    const other = thirdParty();
    let moved: Promise<unknown> | undefined;
    aws.proxy.setStale({ minMs: STALE_MS, maxMs: STALE_MS });
    try {
      const report = await failover(world, high, {
        onProgress: (p) => {
          if (p.phase === 'verifying' && !moved) {
            moved = other.send(new ReplaceRouteCommand({ RouteTableId: world.routeTableIds[0], DestinationCidrBlock: world.cidr, InstanceId: foreign }));
          }
        },
      });
      await moved;
      const text = formatReport(report).join('\n');
      assert.equal(report.result, 'rolled-back', text);
      assert.equal(report.tables[0].movedBy, 'someone else', text);
      assert.match(text, new RegExp(`Moved by someone else during the run: rt-00 \\(${world.routeTableIds[0]}\\) \\(→ ${foreign}\\)`));
      assert.deepEqual(await targets(world), [foreign, low, low]);
      await assertVerifiedIsTrue(report, world);
    } finally {
      aws.proxy.setStale(undefined);
      other.destroy();
    }
  });

  it('a table whose reads never settle is reported unverified with its last reads', async () => {
    const { world, low, high } = await lowToHigh(2);
    const other = thirdParty();
    let flipping = true;
    const flipper = (async () => {
      for (let i = 0; flipping; i++) {
        await other.send(new ReplaceRouteCommand({ RouteTableId: world.routeTableIds[1], DestinationCidrBlock: world.cidr, InstanceId: i % 2 ? low : high }));
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
    })();
    try {
      const report = await failover(world, high, { reads: { ...READS, deadlineMs: 1500 } });
      const text = formatReport(report).join('\n');
      assert.equal(report.result, 'unverified', text);
      assert.equal(report.tables[0].verified, true);
      assert.equal(report.tables[1].verified, false);
      assert.ok((report.tables[1].reads ?? []).length >= 2, text);
      assert.match(text, /^1 of 2 route table\(s\) never read back stable in time/);
      assert.match(text, /unverified; last reads: /);
    } finally {
      flipping = false;
      await flipper;
      other.destroy();
    }
  });

  it('cancel before the first write changes nothing; cancel after writes rolls back and says so', async () => {
    const { world, low, high } = await lowToHigh(4);
    const early = new AbortController();
    early.abort();
    const none = await failover(world, high, { signal: early.signal });
    assert.equal(none.result, 'cancelled');
    assert.equal(aws.proxy.mutatingCount(), 0);
    assert.match(formatReport(none)[0], /^Cancelled before any route was moved: nothing was changed/);

    const late = new AbortController();
    const report = await failover(world, high, { concurrency: 1, signal: late.signal, onProgress: (p) => p.phase === 'moving' && p.done === 2 && late.abort() });
    const text = formatReport(report).join('\n');
    assert.equal(report.result, 'rolled-back', text);
    assert.equal(report.stopped, 'cancelled');
    assert.match(text, /^The failover was cancelled after routes had moved, and rolled back/);
    assert.deepEqual(report.tables.map((t) => t.outcome), ['rolled-back', 'rolled-back', 'skipped', 'skipped']);
    assert.deepEqual(await targets(world), [low, low, low, low]);
    assert.equal(aws.proxy.counts().ReplaceRoute, 4, 'two moves and two rollbacks');
  });

  it('checks the peer again just before the first write (it stopped during the confirmation)', async () => {
    const { world, high } = await lowToHigh(2);
    const prepared = await prepareFailover(aws.session, { vpcId: world.vpcId, cidrs: [world.cidr], nodeIds: [world.nodeA, world.nodeB], toInstanceId: high });
    assert.deepEqual(prepared.checks.filter((c) => !c.ok), []);
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [high] }));
    const report = await runFailover(aws.session, prepared, { reads: READS });
    assert.equal(report.result, 'refused');
    assert.match(report.refused?.[0]?.message ?? '', /is stopped.*checked again just before the first write/);
    assert.equal(aws.proxy.mutatingCount(), 0);
  });

  it('opposite failovers at the same time through stale reads end with all tables agreeing, and say who moved what', async () => {
    const { world } = await lowToHigh(12);
    await Promise.all(world.routeTableIds.filter((_, i) => i % 2).map((id) =>
      aws.ec2.send(new ReplaceRouteCommand({ RouteTableId: id, DestinationCidrBlock: world.cidr, InstanceId: world.nodeB }))));
    const second = motoPool().get({ region: 'us-east-1', endpointUrl: aws.proxy.url });
    aws.proxy.setStale({ maxMs: STALE_MS });
    try {
      let last = -1;
      const reports = await Promise.all([
        failover(world, world.nodeB, { concurrency: 3 }).then((r) => ((last = 0), r)),
        failover(world, world.nodeA, { concurrency: 3 }, second).then((r) => ((last = 1), r)),
      ]);
      const texts = reports.map((r) => formatReport(r).join('\n')).join('\n---\n');
      const truth = await targets(world);
      assert.equal(new Set(truth).size, 1, `tables disagree: ${JSON.stringify(truth)}\n${texts}`);
      assert.ok(reports.every((r) => ['moved', 'converged', 'rolled-back'].includes(r.result)), texts);
      await assertVerifiedIsTrue(reports[last], world);
      // Whoever did not simply win says that someone else moved routes.
      for (const report of reports.filter((r) => r.result !== 'moved')) assert.match(formatReport(report).join('\n'), /someone else/i, texts);
    } finally {
      aws.proxy.setStale(undefined);
    }
  });
});
