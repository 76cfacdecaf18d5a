import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteRouteTableCommand, ReplaceRouteCommand } from '@aws-sdk/client-ec2';
import type { NodeRole } from '../../src/core/provision/keepalived';
import { HA_VIP, HaRig, haRigUnavailable, sleep, type FailoverResult, type HaFault } from '../support/haRig';

const unavailable = haRigUnavailable();
const STEP = { timeout: 60_000 };

describe('HA pair in network namespaces: real keepalived + haproxy move the VIP routes in moto', { skip: unavailable }, () => {
  let rig: HaRig;
  const summary: string[] = [];

  before(async () => {
    rig = await HaRig.start({ log: (message) => console.log(`  ${message}`) });
  }, { timeout: 90_000 });

  after(() => {
    rig?.destroy();
    if (summary.length > 0) console.log(`  timings:\n${summary.map((line) => `    ${line}`).join('\n')}`);
  });

  /**
   * Faults the MASTER, then proves the end state: the BACKUP is MASTER and holds the VIP alone (a killed keepalived's
   * VRRP child may still hold it a moment on the old one), every route table points at it, a client is served by it.
   */
  async function failover(t: TestContext, fault: HaFault, label: string = fault): Promise<FailoverResult> {
    const result = await rig.failover(fault);
    assert.equal(result.toState, 'MASTER', rig.describe());
    // A killed keepalived (alone or with its node) leaves the VIP on the old master's link, which no longer answers ARP.
    if (fault !== 'keepalived SIGKILL' && fault !== 'node power-off') assert.deepEqual(result.vipHolders, [result.to], rig.describe());
    assert.ok(result.vipHolders.includes(result.to));
    assert.equal(result.servedBy, rig.nodes[result.to].name);
    const line = `${label}: ${result.from.toUpperCase()}→${result.to.toUpperCase()} MASTER after ${result.masterAfter?.toFixed(2) ?? '?'} s, every route table after ${result.seconds.toFixed(2)} s`;
    t.diagnostic(line);
    summary.push(line);
    return result;
  }

  /** Routes and roles stay put for `ms` (no flap back). */
  async function assertStays(master: NodeRole, ms: number): Promise<void> {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      assert.ok(await rig.routesOn(master), `the routes left node ${master.toUpperCase()}\n${rig.describe()}`);
      assert.equal(rig.state(master), 'MASTER');
      await sleep(200);
    }
  }

  it('a minute of CPU burners and a request flood on the MASTER: no failover, no route move', { timeout: 90_000 }, async (t) => {
    const master = rig.master();
    const changes = await rig.underStress(master, 60_000);
    assert.deepEqual(changes, [], rig.describe());
    assert.ok(await rig.routesOn(master));
    summary.push(`60 s stress on ${master.toUpperCase()}: no role change`);
    t.diagnostic(summary[summary.length - 1]);
  });

  it('haproxy killed on the MASTER: the BACKUP takes over; the old master returns as BACKUP and the routes stay (nopreempt)', STEP, async (t) => {
    const { from, to } = await failover(t, 'haproxy SIGKILL');
    await rig.recover('haproxy SIGKILL', from);
    await rig.settle(to);
    await assertStays(to, 3000);
    assert.equal(rig.state(from), 'BACKUP');
  });

  for (const fault of ['haproxy hang', 'keepalived SIGTERM', 'keepalived SIGKILL', 'link down', 'node power-off'] as const) {
    it(`${fault} on the MASTER: the BACKUP takes over; the old master returns as BACKUP`, STEP, async (t) => {
      const { from, to } = await failover(t, fault);
      if (fault === 'keepalived SIGKILL') t.diagnostic(`keepalived processes left on the old master: ${rig.keepalivedPids(from).length}`);
      await rig.recover(fault, from);
      await rig.settle(to);
    });
  }

  it('with preempt, the recovered higher-priority node takes the VIP and the routes back', STEP, async (t) => {
    await rig.reconfigure({ preempt: true }, true);
    await rig.settle('a');
    const { from } = await failover(t, 'haproxy SIGKILL', 'preempt pair, haproxy SIGKILL');
    assert.equal(from, 'a');
    const started = performance.now();
    await rig.startHaproxy('a');
    const seconds = await rig.waitRoutesOn('a', started);
    await rig.settle('a');
    assert.equal(await rig.curlVip(), rig.nodes.a.name);
    const line = `preempt failback: haproxy back on A → every route table on A after ${seconds.toFixed(2)} s`;
    t.diagnostic(line);
    summary.push(line);
    await rig.reconfigure({ preempt: false }, true);
    await rig.settle('a');
  });

  it('split brain: both nodes MASTER while partitioned; after the heal exactly one holds the VIP and every route table agrees', STEP, async (t) => {
    const master = rig.master();
    // Keepers every second: in a full partition neither node sees the other serve; without the rule both kept taking the routes.
    await rig.setKeeperInterval(1);
    try {
      const marks = { a: rig.logMark('a'), b: rig.logMark('b') };
      const started = performance.now();
      rig.setPartition(true);
      try {
        // The rule: node B's keeper leaves a route on an unreachable peer; node A's takes it back. A holds throughout.
        await waitUntil(() => rig.vipHolders().length === 2, 10_000, () => rig.describe());
        // Node B, newly MASTER, first takes the routes once (notify_master cannot tell a partition from a dead peer).
        if (master === 'a') await waitUntil(() => /master run took/.test(rig.notifyLog('b', marks.b)), 10_000, () => rig.describe());
        const took = await rig.waitRoutesOn('a', started);
        await assertStays('a', 4000);
        const keeperMoves = (['a', 'b'] as const).map((role) => rig.notifyLog(role, marks[role]).split('\n').filter((l) => l.endsWith('moving it')).length);
        assert.equal(keeperMoves[1], 0, rig.notifyLog('b', marks.b));
        assert.match(rig.notifyLog('b', marks.b), /unreachable \(partition\?\); this node yields: leaving it there/);
        summary.push(`partition (master was ${master.toUpperCase()}, both MASTER): every route table on A after ${took.toFixed(2)} s and stays 4 s; keeper moves: A ${keeperMoves[0]}, B ${keeperMoves[1]}`);
      } finally {
        rig.setPartition(false);
      }
      const healed = performance.now();
      await rig.settle('a');
      const seconds = (performance.now() - healed) / 1000;
      assert.deepEqual(rig.vipHolders(), ['a']);
      assert.equal(await rig.curlVip(), rig.nodes.a.name);
      await assertStays('a', 2000);
      const line = `heal: A (higher priority) alone MASTER, every route table on A after ${seconds.toFixed(2)} s`;
      t.diagnostic(line);
      summary.push(line);
    } finally {
      await rig.setKeeperInterval(undefined);
    }
  });

  it('a vanished route table and a throttled one: the rest still move, the log names each one that did not', STEP, async (t) => {
    const master = rig.master();
    const backup = rig.peer(master);
    const [moves, throttled] = rig.routeTableIds;
    const vanished = await rig.createVipTable(rig.nodes[master].eniId);
    await rig.reconfigure({ routeTableIds: [...rig.routeTableIds, vanished] }, false);
    await rig.ec2.send(new DeleteRouteTableCommand({ RouteTableId: vanished }));
    await rig.setFaults({ throttleTables: [throttled] });
    const mark = rig.logMark(backup);
    try {
      const started = performance.now();
      await rig.killHaproxy(master);
      const seconds = await rig.waitRoutesOn(backup, started, 15_000, [moves]);
      const summaryLine = /(\d+)\/(\d+) route tables on this node \(\S+\), master run took (\d+) ms/;
      await waitUntil(() => summaryLine.test(rig.notifyLog(backup, mark)), 20_000, () => rig.describe());
      const log = rig.notifyLog(backup, mark);
      assert.match(log, /1\/3 route tables on this node/);
      assert.match(log, new RegExp(`${moves}: ${HA_VIP}/32 -> ${rig.nodes[backup].eniId} \\(this node\\), replaced in \\d+ ms`));
      assert.match(log, new RegExp(`${throttled}: FAILED.*RequestLimitExceeded`));
      assert.match(log, new RegExp(`${vanished}: FAILED.*InvalidRouteTableID\\.NotFound`));
      assert.equal((await rig.routeRoles([throttled]))[throttled], master, 'the throttled table was not moved');
      const line = `vanished + throttled table: the healthy table on ${backup.toUpperCase()} after ${seconds.toFixed(2)} s; master run ${summaryLine.exec(log)?.[3]} ms`;
      t.diagnostic(line);
      summary.push(line);
    } finally {
      await rig.setFaults({ throttleTables: [] });
      await rig.reconfigure({ routeTableIds: [moves, throttled] }, false);
    }
    // The throttling is over: the route keeper brings the last table over.
    await rig.setKeeperInterval(1);
    try {
      await rig.waitRoutesOn(backup, performance.now(), 10_000);
      assert.match(rig.notifyLog(backup, mark), new RegExp(`${throttled}: ${HA_VIP}/32 is on ${rig.nodes[master].eniId}/\\S+ \\(active\\), not on this node: moving it`));
    } finally {
      await rig.setKeeperInterval(undefined);
    }
    await rig.startHaproxy(master);
    await rig.settle(backup);
  });

  it('route keeper: EC2 API unreachable at takeover, then routes moved by hand — it moves them back unless the peer serves', STEP, async (t) => {
    const master = rig.master();
    const backup = rig.peer(master);
    const [table] = rig.routeTableIds;
    const moveByHand = () =>
      rig.ec2.send(new ReplaceRouteCommand({ RouteTableId: table, DestinationCidrBlock: `${HA_VIP}/32`, NetworkInterfaceId: rig.nodes[master].eniId }));
    const strayLine = (id: string) => new RegExp(`${id}: ${HA_VIP}/32 is on ${rig.nodes[master].eniId}/\\S+ \\(active\\), not on this node: moving it`);
    await rig.setKeeperInterval(1);
    const mark = rig.logMark(backup);
    const masterMark = rig.logMark(master);
    try {
      rig.setApiBlocked(backup, true);
      try {
        await rig.killHaproxy(master);
        await waitUntil(() => /0\/2 route tables on this node \(\S+\), master run/.test(rig.notifyLog(backup, mark)), 15_000, () => rig.describe());
        assert.equal(rig.state(backup), 'MASTER');
        assert.ok(await rig.routesOn(master), 'with the API blocked, notify_master could not move the routes');
      } finally {
        rig.setApiBlocked(backup, false);
      }
      const seconds = await rig.waitRoutesOn(backup, performance.now(), 10_000);
      for (const id of rig.routeTableIds) assert.match(rig.notifyLog(backup, mark), strayLine(id));
      assert.equal(await rig.curlVip(), rig.nodes[backup].name);

      // By hand onto the old master, whose haproxy is down: moved back.
      let handMark = rig.logMark(backup);
      let moved = performance.now();
      await moveByHand();
      const handSeconds = await rig.waitRoutesOn(backup, moved, 10_000);
      assert.match(rig.notifyLog(backup, handMark), strayLine(table));
      assert.doesNotMatch(rig.notifyLog(master, masterMark), /moving it/, 'the keeper on the BACKUP leaves the routes alone');

      // By hand onto the old master once its haproxy serves again (a planned move): left there, logged once.
      await rig.startHaproxy(master);
      handMark = rig.logMark(backup);
      await moveByHand();
      await sleep(3500);
      assert.equal((await rig.routeRoles([table]))[table], master, rig.describe());
      assert.equal(await rig.curlVip(), rig.nodes[master].name);
      const left = rig.notifyLog(backup, handMark).split('\n').filter((line) => line.includes(`${table}: ${HA_VIP}/32 is on the peer (${rig.nodes[master].eniId}), whose haproxy answers: leaving it there`));
      assert.equal(left.length, 1, rig.notifyLog(backup, handMark));

      // The peer stops serving: the keeper brings the route home.
      moved = performance.now();
      await rig.killHaproxy(master);
      const peerDownSeconds = await rig.waitRoutesOn(backup, moved, 10_000);
      const line =
        `route keeper (1 s): every table on ${backup.toUpperCase()} ${seconds.toFixed(2)} s after the API came back; ` +
        `hand-moved route back ${handSeconds.toFixed(2)} s; left on the serving peer, back ${peerDownSeconds.toFixed(2)} s after the peer's haproxy died`;
      t.diagnostic(line);
      summary.push(line);
    } finally {
      await rig.setKeeperInterval(undefined);
    }
    await rig.startHaproxy(master);
    await rig.settle(backup);
  });
});

async function waitUntil(check: () => boolean, timeoutMs: number, context: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms\n${context()}`);
    await sleep(100);
  }
}
