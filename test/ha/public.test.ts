import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HA_FAULTS, HaRig, haRigUnavailable, sleep, waitFor } from '../support/haRig';

const unavailable = haRigUnavailable();
const STEP = { timeout: 60_000 };

/**
 * A public-only pair (an Elastic IP, no route table) on the real services: every fault kind moves the Elastic IP to
 * the new MASTER through the generated notify script (AssociateAddress, signed with the node's IMDS credentials, read
 * back with DescribeAddresses), and in a total partition the keepers follow the routes' rule.
 */
describe('public HA pair in network namespaces: the Elastic IP follows MASTER', { skip: unavailable }, () => {
  let rig: HaRig;
  const summary: string[] = [];

  before(async () => {
    rig = await HaRig.start({ publicOnly: true, log: (message) => console.log(`  ${message}`) });
  }, { timeout: 90_000 });

  after(() => {
    rig?.destroy();
    if (summary.length > 0) console.log(`  timings:\n${summary.map((line) => `    ${line}`).join('\n')}`);
  });

  it('starts with the Elastic IP on node A and no route table in the pair', async () => {
    assert.equal(await rig.elasticIpRole(), 'a');
    assert.deepEqual(rig.routeTableIds, []);
    assert.equal(await rig.curlVip(), rig.nodes.a.name);
  });

  for (const fault of HA_FAULTS) {
    it(`${fault} on the MASTER: the Elastic IP moves to the new MASTER, which serves`, STEP, async (t) => {
      const result = await rig.failover(fault);
      assert.equal(result.toState, 'MASTER', rig.describe());
      assert.equal(result.servedBy, rig.nodes[result.to].name);
      assert.match(rig.notifyLog(result.to), new RegExp(`Elastic IP ${rig.allocationId} -> ${rig.nodes[result.to].eniId} \\(this node\\), associated in \\d+ ms`));
      const line = `${fault}: ${result.from.toUpperCase()}→${result.to.toUpperCase()}, Elastic IP on the new MASTER after ${result.seconds.toFixed(2)} s`;
      t.diagnostic(line);
      summary.push(line);
      await rig.recover(fault, result.from);
      await rig.settle(result.to);
    });
  }

  it('total partition: both MASTER, node A holds the Elastic IP and node B yields; after the heal A alone is MASTER', STEP, async (t) => {
    const master = rig.master();
    await rig.setKeeperInterval(1);
    try {
      const mark = rig.logMark('b');
      const started = performance.now();
      rig.setPartition(true);
      try {
        // Node B, newly MASTER, takes the address once (notify_master cannot tell a partition from a dead peer); node
        // A's keeper takes it back, and node B's keeper then leaves it on the unreachable peer every interval after.
        if (master === 'a') await waitFor("node B's notify_master", 10_000, () => /master run took/.test(rig.notifyLog('b', mark)), 100, () => rig.describe());
        const took = await rig.waitMovedTo('a', started);
        const until = performance.now() + 5000;
        while (performance.now() < until) {
          assert.equal(await rig.elasticIpRole(), 'a', `the Elastic IP left node A during the partition\n${rig.describe()}`);
          await sleep(250);
        }
        assert.equal(rig.state('b'), 'MASTER', 'both nodes are MASTER while they cannot hear each other');
        const log = rig.notifyLog('b', mark);
        assert.equal(log.split('\n').filter((line) => line.endsWith('not on this node: moving it')).length, 0, `node B's keeper took it back:\n${log}`);
        if (master === 'a') assert.match(log, /Elastic IP \S+ is on the peer \(eni-\w+\), unreachable \(partition\?\); this node yields: leaving it there/);
        const line = `partition (master was ${master.toUpperCase()}): Elastic IP on A after ${took.toFixed(2)} s and stays 5 s`;
        t.diagnostic(line);
        summary.push(line);
      } finally {
        rig.setPartition(false);
      }
      await rig.settle('a');
      assert.equal(await rig.curlVip(), rig.nodes.a.name);
    } finally {
      await rig.setKeeperInterval(undefined);
    }
  });
});
