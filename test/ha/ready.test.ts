import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayCall } from '../support/haGateway';
import { HA_STACK, HaRig, haRigUnavailable, sleep } from '../support/haRig';

const unavailable = haRigUnavailable();

/**
 * The user data's last step (`awsops-notify ready`) on real haproxy + keepalived: the CloudFormation signal the rig's
 * API stand-in receives is what makes CREATE_COMPLETE mean "serving".
 */
describe('HA pair readiness signal (CreationPolicy) from the real node services', { skip: unavailable }, () => {
  let rig: HaRig;

  before(async () => {
    rig = await HaRig.start({ log: (message) => console.log(`  ${message}`) });
  }, { timeout: 90_000 });

  after(() => rig?.destroy());

  const signalsFrom = async (role: 'a' | 'b'): Promise<GatewayCall[]> =>
    (await rig.calls()).filter((call) => call.signal && call.source.endsWith(rig.nodes[role].ip));

  it('signals SUCCESS only once haproxy answers, keepalived is BACKUP and a signed EC2 read worked', { timeout: 60_000 }, async () => {
    await rig.killHaproxy('b');
    const done = rig.ready('b');
    await sleep(4000);
    assert.deepEqual(await signalsFrom('b'), [], 'signalled while haproxy was down');
    await rig.startHaproxy('b');
    const healthyAt = Date.now();
    assert.equal(await done, 0, rig.describe());
    const [signal, ...more] = await signalsFrom('b');
    assert.equal(more.length, 0);
    assert.deepEqual(signal.signal, { stackName: HA_STACK, logicalResourceId: 'NodeB', uniqueId: `${rig.nodes.b.instanceId}:ready`, status: 'SUCCESS' });
    assert.ok(signal.at >= healthyAt, 'the signal came before haproxy answered');
    assert.equal(rig.state('b'), 'BACKUP');
    const reads = (await rig.calls()).filter((call) => call.action === 'DescribeRouteTables' && call.source.endsWith(rig.nodes.b.ip) && call.at <= signal.at && call.at >= healthyAt);
    assert.ok(reads.some((call) => call.status === 200), 'no signed EC2 read before the signal');
  });

  it('a haproxy config haproxy refuses: FAILURE with the reason in the signal', { timeout: 60_000 }, async () => {
    const before = (await signalsFrom('a')).length;
    await rig.breakHaproxyConfig('a');
    assert.equal(await rig.ready('a', 3), 1, rig.describe());
    const signals = (await signalsFrom('a')).slice(before);
    assert.deepEqual(signals.map((call) => call.signal), [
      { stackName: HA_STACK, logicalResourceId: 'NodeA', uniqueId: `${rig.nodes.a.instanceId}:haproxy-config-invalid`, status: 'FAILURE' },
    ]);
  });
});
