import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { DeleteRouteTableCommand, ReplaceRouteCommand } from '@aws-sdk/client-ec2';
import type { NodeRole } from '../../src/core/provision/keepalived';
import { HA_VIP, HaRig, haRigUnavailable, sleep } from '../support/haRig';

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
   * Faults the current MASTER, then proves the end state: the BACKUP is MASTER and holds the VIP alone (unless the fault
   * leaves the old one unable to let go), every route table points at it, and a client through the VIP is served by it.
   */
  async function failover(t: TestContext, label: string, fault: (master: NodeRole) => Promise<void> | void, vipOnOldMaster = false) {
    const master = rig.master();
    const backup = rig.peer(master);
    const wall = Date.now();
    const started = performance.now();
    await fault(master);
    const seconds = await rig.waitRoutesOn(backup, started);
    assert.equal(rig.state(backup), 'MASTER', rig.describe());
    if (!vipOnOldMaster) assert.deepEqual(rig.vipHolders(), [backup], rig.describe());
    assert.equal(await rig.curlVip(), rig.nodes[backup].name);
    const mastered = rig.becameMasterAfter(backup, wall);
    const line = `${label}: ${master.toUpperCase()}→${backup.toUpperCase()} MASTER after ${mastered?.toFixed(2) ?? '?'} s, every route table after ${seconds.toFixed(2)} s`;
    t.diagnostic(line);
    summary.push(line);
    return { master, backup, seconds };
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

  it('haproxy killed on the MASTER: the BACKUP takes over; the old master returns as BACKUP and the routes stay (nopreempt)', STEP, async (t) => {
    const { master, backup } = await failover(t, 'haproxy SIGKILL', (m) => rig.killHaproxy(m));
    await rig.startHaproxy(master);
    await rig.settle(backup);
    await assertStays(backup, 3000);
    assert.equal(rig.state(master), 'BACKUP');
  });

  it('keepalived stopped with SIGTERM on the MASTER', STEP, async (t) => {
    const { master, backup } = await failover(t, 'keepalived SIGTERM', (m) => rig.stopKeepalived(m, 'SIGTERM'));
    await rig.startKeepalived(master);
    await rig.settle(backup);
  });

  it('keepalived killed with SIGKILL on the MASTER', STEP, async (t) => {
    // The parent dies at once; its VRRP child may keep the VIP on eth0 a moment longer.
    const { master, backup } = await failover(t, 'keepalived SIGKILL', (m) => rig.stopKeepalived(m, 'SIGKILL'), true);
    t.diagnostic(`keepalived processes left on the old master: ${rig.keepalivedPids(master).length}`);
    await rig.startKeepalived(master);
    await rig.settle(backup);
  });

  it('the MASTER\'s link goes down', STEP, async (t) => {
    const { master, backup } = await failover(t, 'link down', (m) => rig.setLink(m, false));
    rig.setLink(master, true);
    await rig.settle(backup);
    await assertStays(backup, 2000);
  });

  it('with preempt, the recovered higher-priority node takes the VIP and the routes back', STEP, async (t) => {
    await rig.reconfigure({ preempt: true }, true);
    await rig.settle('a');
    const { master } = await failover(t, 'preempt pair, haproxy SIGKILL', (m) => rig.killHaproxy(m));
    assert.equal(master, 'a');
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
    const backup = rig.peer(master);
    const started = performance.now();
    rig.setPartition(true);
    try {
      const took = await rig.waitRoutesOn(backup, started);
      assert.deepEqual(rig.vipHolders().sort(), ['a', 'b'], 'both nodes claim the VIP while they cannot hear each other');
      summary.push(`partition: ${backup.toUpperCase()} takes every route table after ${took.toFixed(2)} s (both MASTER)`);
    } finally {
      rig.setPartition(false);
    }
    const healed = performance.now();
    await rig.settle('a');
    const seconds = (performance.now() - healed) / 1000;
    assert.deepEqual(rig.vipHolders(), ['a']);
    assert.equal(await rig.curlVip(), rig.nodes.a.name);
    const line = `heal: A (higher priority) alone MASTER, every route table on A after ${seconds.toFixed(2)} s`;
    t.diagnostic(line);
    summary.push(line);
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

  it('route keeper: EC2 API unreachable at takeover, and a route moved away by hand afterwards — the keeper moves them back and logs it', STEP, async (t) => {
    const master = rig.master();
    const backup = rig.peer(master);
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
      const unblocked = performance.now();
      const seconds = await rig.waitRoutesOn(backup, unblocked, 10_000);
      const log = rig.notifyLog(backup, mark);
      for (const table of rig.routeTableIds) assert.match(log, new RegExp(`${table}: ${HA_VIP}/32 is on ${rig.nodes[master].eniId}/\\S+ \\(active\\), not on this node: moving it`));
      assert.equal(await rig.curlVip(), rig.nodes[backup].name);

      const [table] = rig.routeTableIds;
      const handMark = rig.logMark(backup);
      const moved = performance.now();
      await rig.ec2.send(new ReplaceRouteCommand({ RouteTableId: table, DestinationCidrBlock: `${HA_VIP}/32`, NetworkInterfaceId: rig.nodes[master].eniId }));
      const handSeconds = await rig.waitRoutesOn(backup, moved, 10_000);
      assert.match(rig.notifyLog(backup, handMark), new RegExp(`${table}: .*not on this node: moving it`));
      assert.doesNotMatch(rig.notifyLog(master, masterMark), /moving it/, 'the keeper on the BACKUP leaves the routes alone');
      const line = `route keeper (1 s): routes on ${backup.toUpperCase()} ${seconds.toFixed(2)} s after the API came back; a hand-moved route back after ${handSeconds.toFixed(2)} s`;
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
