import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AssociateRouteTableCommand,
  CreateTagsCommand,
  DeleteRouteCommand,
  DeleteRouteTableCommand,
  ModifyInstanceAttributeCommand,
  ReplaceRouteCommand,
  RunInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { prepareFailover, runFailover as runCore, type PreparedFailover, type RunOptions } from '../../../../src/core/failover/failover';
import type { FailoverReport } from '../../../../src/core/failover/execute';
import type { FailoverRequest } from '../../../../src/core/failover/plan';
import { formatPlan, formatReport, missingRoutesPrompt } from '../../../../src/core/failover/report';
import { createSubnet, findMainRouteTable } from '../../../support/ec2Seed';
import { motoPool } from '../../../support/moto';
import { AMI, seedPairWorld, vipTargets, type PairWorld, type PairWorldOptions } from '../../../support/pairWorld';
import { testReads } from '../../../support/testReads';
import { useProxiedMoto } from '../../../support/useMoto';
import type { AwsSession } from '../../../../src/core/session/session';

/** moto is strongly consistent here: the read-back needs no long settle window. */
const runFailover = (session: AwsSession, prepared: PreparedFailover, options: RunOptions = {}) => runCore(session, prepared, { reads: testReads(0), ...options });

describe('failover against moto', () => {
  // The product's calls go through the proxy so they can be counted; seeding and the truth read go direct.
  const aws = useProxiedMoto();

  const seed = (options: PairWorldOptions) => seedPairWorld(aws.ec2, options);
  const requestOf = (world: PairWorld, to = world.nodeB): FailoverRequest => ({ vpcId: world.vpcId, cidrs: [world.cidr], nodeIds: [world.nodeA, world.nodeB], toInstanceId: to });

  /** The report's final state must be exactly what moto holds. */
  async function assertReportIsTrue(report: FailoverReport, world: PairWorld) {
    const truth = await vipTargets(aws.ec2, world.vpcId, world.cidr);
    for (const table of report.tables) {
      const said = table.final.kind === 'route' ? table.final.target.id : table.final.kind === 'no-route' ? 'none' : table.final.kind;
      assert.equal(said, truth[table.routeTableId] ?? 'vanished', `${table.routeTableId}: report says ${said}\n${formatReport(report).join('\n')}`);
    }
  }

  for (const [kind, tables] of [['instance', 1], ['instance', 4], ['eni', 4]] as const) {
    it(`moves ${tables} ${kind}-targeted route(s) to the peer and verifies them`, async () => {
      const world = await seed({ tables, kind });
      const prepared = await prepareFailover(aws.session, requestOf(world));
      assert.deepEqual(prepared.checks.filter((c) => !c.ok), []);
      assert.equal(aws.proxy.mutatingCount(), 0, 'planning writes nothing');
      const report = await runFailover(aws.session, prepared);
      assert.equal(report.result, 'moved', formatReport(report).join('\n'));
      const want = kind === 'eni' ? world.eniB : world.nodeB;
      assert.deepEqual(Object.values(await vipTargets(aws.ec2, world.vpcId, world.cidr)).filter((t) => t !== 'none'), Array(tables).fill(want));
      assert.ok(report.tables.every((t) => t.outcome === 'moved' && t.to.kind === kind));
      assert.equal(aws.proxy.counts().ReplaceRoute, tables);
      await assertReportIsTrue(report, world);
    });
  }

  it('fails over 50 route tables in parallel and reports each', async () => {
    const world = await seed({ tables: 50, kind: 'eni' });
    const started = performance.now();
    const report = await runFailover(aws.session, await prepareFailover(aws.session, requestOf(world)), { concurrency: 10 });
    const ms = performance.now() - started;
    assert.equal(report.result, 'moved');
    assert.equal(report.tables.length, 50);
    assert.ok(Object.values(await vipTargets(aws.ec2, world.vpcId, world.cidr)).filter((t) => t !== 'none').every((t) => t === world.eniB));
    assert.ok(ms < 10_000, `50 tables took ${Math.round(ms)} ms`);
  });

  it('treats tables already at the peer as already there, and the whole run as moved', async () => {
    const world = await seed({ tables: 3, kind: 'instance' });
    await aws.ec2.send(new ReplaceRouteCommand({ RouteTableId: world.routeTableIds[1], DestinationCidrBlock: world.cidr, InstanceId: world.nodeB }));
    const report = await runFailover(aws.session, await prepareFailover(aws.session, requestOf(world)));
    assert.equal(report.result, 'moved');
    assert.deepEqual(report.tables.map((t) => t.outcome), ['moved', 'already-there', 'moved']);
    assert.equal(aws.proxy.counts().ReplaceRoute, 2);
  });

  it('refuses a stopped peer with an explanation and no write, and proceeds when the user overrides', async () => {
    const world = await seed({ tables: 2, kind: 'instance' });
    await aws.ec2.send(new StopInstancesCommand({ InstanceIds: [world.nodeB] }));
    const prepared = await prepareFailover(aws.session, requestOf(world));
    const failed = prepared.checks.filter((c) => !c.ok);
    assert.deepEqual(failed.map((c) => c.id).sort(), ['peer-running', 'peer-status-checks']);
    assert.match(failed.find((c) => c.id === 'peer-running')?.message ?? '', /is stopped: it cannot forward the VIP's traffic/);
    const refused = await runFailover(aws.session, prepared);
    assert.equal(refused.result, 'refused');
    assert.equal(aws.proxy.mutatingCount(), 0);
    const overridden = await runFailover(aws.session, prepared, { overrides: new Set(['peer-running', 'peer-status-checks']) });
    assert.equal(overridden.result, 'moved');
  });

  it('refuses source/dest check on the peer and a peer in another VPC', async () => {
    const world = await seed({ tables: 1, kind: 'instance' });
    await aws.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: world.nodeB, SourceDestCheck: { Value: true } }));
    const checked = await prepareFailover(aws.session, requestOf(world));
    assert.deepEqual(checked.checks.filter((c) => !c.ok).map((c) => c.id), ['source-dest-check']);
    assert.equal((await runFailover(aws.session, checked)).result, 'refused');
    assert.equal(aws.proxy.mutatingCount(), 0);
    const other = await seedPairWorld(aws.ec2, { tables: 0, kind: 'instance', name: 'other' });
    const prepared = await prepareFailover(aws.session, { ...requestOf(world), nodeIds: [world.nodeA, other.nodeA], toInstanceId: other.nodeA });
    const sameVpc = prepared.checks.find((c) => c.id === 'same-vpc');
    assert.equal(sameVpc?.ok, false);
    assert.equal(sameVpc?.overridable, false);
    assert.equal((await runFailover(aws.session, prepared, { overrides: new Set(['same-vpc']) })).result, 'refused');
    assert.equal(aws.proxy.mutatingCount(), 0);
  });

  it('bad input — one-node pair, VIP without routes, terminated peer — is explained with zero mutating calls', async () => {
    const world = await seed({ tables: 2, kind: 'instance' });
    const lone = await prepareFailover(aws.session, { ...requestOf(world), nodeIds: [world.nodeA], toInstanceId: world.nodeA });
    assert.match(lone.checks.find((c) => c.id === 'pair-complete')?.message ?? '', /only one node/);
    const noRoutes = await prepareFailover(aws.session, { ...requestOf(world), cidrs: ['192.168.77.7/32'] });
    assert.match(noRoutes.checks.find((c) => c.id === 'routes-exist')?.message ?? '', /192\.168\.77\.7\/32 has no route in any route table/);
    await aws.ec2.send(new TerminateInstancesCommand({ InstanceIds: [world.nodeB] }));
    const terminated = await prepareFailover(aws.session, requestOf(world));
    const running = terminated.checks.find((c) => c.id === 'peer-running');
    assert.match(running?.message ?? '', /is terminated: it can never take the VIP/);
    const everything = new Set(['pair-complete', 'peer-exists', 'peer-running', 'peer-status-checks', 'source-dest-check', 'same-vpc', 'routes-exist', 'foreign-targets'] as const);
    for (const prepared of [lone, noRoutes, terminated]) {
      const report = await runFailover(aws.session, prepared, { overrides: everything });
      assert.equal(report.result, 'refused');
      assert.ok((report.refused ?? []).length > 0);
      assert.match(formatReport(report)[0], /Nothing was changed/);
    }
    assert.equal(aws.proxy.mutatingCount(), 0, JSON.stringify(aws.proxy.counts()));
  });

  it('stops and rolls back when a route was removed since planning', async () => {
    const world = await seed({ tables: 5, kind: 'instance' });
    const prepared = await prepareFailover(aws.session, requestOf(world));
    const gone = world.routeTableIds[2];
    await aws.ec2.send(new DeleteRouteCommand({ RouteTableId: gone, DestinationCidrBlock: world.cidr }));
    const report = await runFailover(aws.session, prepared, { concurrency: 2 });
    assert.equal(report.result, 'rolled-back', formatReport(report).join('\n'));
    const missing = report.tables.find((t) => t.routeTableId === gone);
    assert.equal(missing?.outcome, 'failed');
    assert.match(missing?.reason ?? '', /changed by someone else: the VIP route was removed/);
    const truth = await vipTargets(aws.ec2, world.vpcId, world.cidr);
    for (const id of world.routeTableIds) assert.equal(truth[id], id === gone ? 'none' : world.nodeA);
    assert.ok(report.tables.some((t) => t.outcome === 'rolled-back'), 'tables moved before the stop were put back');
    await assertReportIsTrue(report, world);
  });

  it('stops when someone else pointed a route elsewhere, and never overwrites it', async () => {
    const world = await seed({ tables: 4, kind: 'instance' });
    const prepared = await prepareFailover(aws.session, requestOf(world));
    const third = (await aws.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId as string;
    await aws.ec2.send(new ReplaceRouteCommand({ RouteTableId: world.routeTableIds[0], DestinationCidrBlock: world.cidr, InstanceId: third }));
    const report = await runFailover(aws.session, prepared, { concurrency: 1 });
    assert.equal(report.result, 'rolled-back');
    assert.match(report.tables[0].reason ?? '', new RegExp(`changed by someone else: now → ${third}`));
    assert.deepEqual(report.tables.slice(1).map((t) => t.outcome), ['skipped', 'skipped', 'skipped']);
    assert.equal((await vipTargets(aws.ec2, world.vpcId, world.cidr))[world.routeTableIds[0]], third);
    assert.equal(aws.proxy.counts().ReplaceRoute ?? 0, 0);
  });

  it('keeps the moved tables when the user chose keep, and says the VIP is split', async () => {
    const world = await seed({ tables: 4, kind: 'instance' });
    const prepared = await prepareFailover(aws.session, requestOf(world));
    await aws.ec2.send(new DeleteRouteCommand({ RouteTableId: world.routeTableIds[3], DestinationCidrBlock: world.cidr }));
    const report = await runFailover(aws.session, prepared, { concurrency: 1, onPartialFailure: 'keep' });
    assert.equal(report.result, 'partial');
    assert.deepEqual(report.tables.map((t) => t.outcome), ['moved', 'moved', 'moved', 'failed']);
    await assertReportIsTrue(report, world);
  });

  it('reports a vanished table and still fails over the others', async () => {
    const world = await seed({ tables: 4, kind: 'instance' });
    const prepared = await prepareFailover(aws.session, requestOf(world));
    await aws.ec2.send(new DeleteRouteTableCommand({ RouteTableId: world.routeTableIds[1] }));
    const report = await runFailover(aws.session, prepared);
    assert.equal(report.result, 'moved', formatReport(report).join('\n'));
    assert.equal(report.tables[1].outcome, 'vanished');
    assert.match(formatReport(report).join('\n'), /table deleted/);
    await assertReportIsTrue(report, world);
  });

  it('offers the VPC tables lacking the VIP and adds the route where the user chose', async () => {
    const world = await seed({ tables: 2, kind: 'eni', tablesWithoutVip: 2 });
    const plain = await prepareFailover(aws.session, requestOf(world));
    const offered = plain.plan.missing.map((m) => m.routeTableId);
    assert.equal(offered.length, 3, 'two new tables and the main table');
    const withAdds = await prepareFailover(aws.session, { ...requestOf(world), addToTableIds: offered.slice(0, 1) });
    const report = await runFailover(aws.session, withAdds);
    assert.equal(report.result, 'moved');
    assert.equal((await vipTargets(aws.ec2, world.vpcId, world.cidr))[offered[0]], world.eniB, 'added as an ENI route, like the others');
    assert.equal(aws.proxy.counts().CreateRoute, 1);
  });

  it('asks about the main table only while a subnet uses it, naming it and that subnet by their Name tags', async () => {
    const world = await seed({ tables: 2, kind: 'instance' });
    const main = await findMainRouteTable(aws.ec2, world.vpcId);
    await aws.ec2.send(new CreateTagsCommand({ Resources: [main], Tags: [{ Key: 'Name', Value: 'main' }] }));
    // Every subnet explicitly associated with a table carrying the VIP: the main table serves none.
    for (const [i, subnetId] of world.subnetIds.entries()) {
      await aws.ec2.send(new AssociateRouteTableCommand({ RouteTableId: world.routeTableIds[i], SubnetId: subnetId }));
    }
    const explicit = await prepareFailover(aws.session, requestOf(world));
    assert.deepEqual(explicit.plan.missing, []);
    assert.equal(missingRoutesPrompt(explicit.plan), undefined, 'no question before the failover');
    assert.doesNotMatch(formatPlan(explicit.plan, explicit.checks).join('\n'), /without a route|main/);

    const appC = await createSubnet(aws.ec2, world.vpcId, '10.20.9.0/24', 'us-east-1a', { Name: 'app-c' });
    const implicit = await prepareFailover(aws.session, requestOf(world));
    assert.deepEqual(missingRoutesPrompt(implicit.plan), {
      title: `1 route table of ${world.vpcId} lacks the VIP route`,
      affected: `Subnet app-c (${appC}) cannot reach VIP 192.168.55.100`,
      tables: `the main table main (${main}), used by app-c (${appC})`,
      routeTableIds: [main],
    });
    assert.equal(aws.proxy.mutatingCount(), 0, 'planning writes nothing');
  });

  describe('concurrent failovers in opposite directions', () => {
    /** Another operator: a client of its own. */
    const secondSession = () => motoPool().get({ region: 'us-east-1', endpointUrl: aws.proxy.url });

    async function assertAgree(world: PairWorld, reports: FailoverReport[], lastIndex: number) {
      const truth = Object.values(await vipTargets(aws.ec2, world.vpcId, world.cidr)).filter((t) => t !== 'none');
      assert.equal(new Set(truth).size, 1, `tables disagree: ${JSON.stringify(truth)}\n${reports.map((r) => formatReport(r).join('\n')).join('\n---\n')}`);
      // The one that finished last read the final state, so its report is exactly the truth.
      await assertReportIsTrue(reports[lastIndex], world);
    }

    it('from a split start, both end with all tables agreeing', async () => {
      const world = await seed({ tables: 30, kind: 'instance' });
      await Promise.all(world.routeTableIds.filter((_, i) => i % 2).map((id) =>
        aws.ec2.send(new ReplaceRouteCommand({ RouteTableId: id, DestinationCidrBlock: world.cidr, InstanceId: world.nodeB }))));
      const second = secondSession();
      const [toB, toA] = await Promise.all([prepareFailover(aws.session, requestOf(world, world.nodeB)), prepareFailover(second, requestOf(world, world.nodeA))]);
      let last = -1;
      const reports = await Promise.all([
        runFailover(aws.session, toB, { concurrency: 4 }).then((r) => ((last = 0), r)),
        runFailover(second, toA, { concurrency: 4 }).then((r) => ((last = 1), r)),
      ]);
      await assertAgree(world, reports, last);
      assert.ok(reports.every((r) => ['moved', 'converged', 'rolled-back'].includes(r.result)), reports.map((r) => r.result).join());
    });

    it('when the second starts while the first is half-way, both end agreeing', async () => {
      const world = await seed({ tables: 30, kind: 'eni' });
      const second = secondSession();
      let secondRun: Promise<FailoverReport> | undefined;
      let last = -1;
      const first = runFailover(aws.session, await prepareFailover(aws.session, requestOf(world, world.nodeB)), {
        concurrency: 2,
        onProgress: (p) => {
          if (p.phase === 'moving' && p.done === 10 && !secondRun) {
            secondRun = prepareFailover(second, requestOf(world, world.nodeA)).then((prepared) => runFailover(second, prepared, { concurrency: 2 })).then((r) => ((last = 1), r));
          }
        },
      }).then((r) => ((last = 0), r));
      const firstReport = await first;
      const secondReport = await (secondRun as Promise<FailoverReport>);
      await assertAgree(world, [firstReport, secondReport], last);
    });
  });
});
