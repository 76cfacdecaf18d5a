import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildPairs } from '../../../../src/core/pairs/pairs';
import type { StatusCheck } from '../../../../src/core/pairs/statusCheck';
import type { InstanceInfo, RegionSnapshot, RouteTarget, VipRoute } from '../../../../src/core/vip/model';

const TAG = 'awsops:pair';
const VIP = '192.168.55.100/32';
const OK: StatusCheck = { state: 'running', system: 'ok', instance: 'ok' };

const instance = (id: string, pair: string | undefined, extra: Partial<InstanceInfo> = {}): InstanceInfo => ({
  instanceId: id, name: `n-${id}`, state: 'running', availabilityZone: id.endsWith('b') ? 'us-east-1b' : 'us-east-1a', vpcId: 'vpc-1',
  sourceDestCheck: false, primaryEniId: `eni-${id}`, tags: pair ? { [TAG]: pair } : {}, ...extra,
});
const route = (table: string, target: RouteTarget): VipRoute => ({ routeTableId: table, availabilityZones: [], isMain: false, target, state: 'active' });
const toInstance = (id: string): RouteTarget => ({ kind: 'instance', id, instanceId: id });

function snapshot(instances: InstanceInfo[], routes: VipRoute[], cidr = VIP): RegionSnapshot {
  return {
    region: 'us-east-1',
    vpcs: [{ vpcId: 'vpc-1', cidrs: ['10.0.0.0/16'], routeTables: [], vips: routes.length ? [{ cidr, routes, diagnostics: [] }] : [] }],
    instances: Object.fromEntries(instances.map((i) => [i.instanceId, i])),
    enis: Object.fromEntries(instances.map((i) => [`eni-${i.instanceId}`, { eniId: `eni-${i.instanceId}`, status: 'in-use', attachedInstanceId: i.instanceId }])),
    subnets: {},
  };
}

const statuses = { 'i-a': OK, 'i-b': OK };
const kinds = (flags: { kind: string }[]) => flags.map((f) => f.kind);

describe('buildPairs', () => {
  it('groups nodes by the tag and names MASTER and BACKUP from the routes', () => {
    const [pair] = buildPairs(snapshot([instance('i-a', 'web'), instance('i-b', 'web'), instance('i-x', undefined)], [route('rtb-1', toInstance('i-a')), route('rtb-2', toInstance('i-a'))]), TAG, statuses);
    assert.equal(pair.name, 'web');
    assert.deepEqual(pair.nodes.map((n) => [n.instance.instanceId, n.role, n.status?.system]), [['i-a', 'MASTER', 'ok'], ['i-b', 'BACKUP', 'ok']]);
    assert.equal(pair.masterInstanceId, 'i-a');
    assert.deepEqual(pair.vips.map((v) => [v.cidr, v.masterInstanceId, v.foreignRouteTableIds]), [[VIP, 'i-a', []]]);
    assert.deepEqual(pair.flags, []);
    assert.deepEqual(pair.health, { severity: 'ok', summary: 'healthy: both nodes running, status checks ok, VIP routes agree' });
  });

  it('counts an ENI route (by attachment, even without instanceId on the target) as its instance', () => {
    const [pair] = buildPairs(snapshot([instance('i-a', 'web'), instance('i-b', 'web')], [route('rtb-1', { kind: 'eni', id: 'eni-i-b' })]), TAG, statuses);
    assert.deepEqual(pair.nodes.map((n) => n.role), ['BACKUP', 'MASTER']);
  });

  it('marks both nodes SPLIT when the tables disagree', () => {
    const [pair] = buildPairs(snapshot([instance('i-a', 'web'), instance('i-b', 'web')], [route('rtb-1', toInstance('i-a')), route('rtb-2', toInstance('i-b'))]), TAG, statuses);
    assert.deepEqual(pair.nodes.map((n) => n.role), ['SPLIT', 'SPLIT']);
    assert.equal(pair.masterInstanceId, undefined);
    assert.deepEqual(kinds(pair.flags), ['split']);
    assert.equal(pair.health.severity, 'error');
  });

  it('flags a pair missing a node, one AZ, and a VIP pointing at neither node', () => {
    const [lone] = buildPairs(snapshot([instance('i-a', 'solo')], [route('rtb-1', toInstance('i-a'))]), TAG, statuses);
    assert.deepEqual(kinds(lone.flags), ['missing-node']);
    assert.match(lone.health.summary, /only n-i-a \(i-a\): there is no peer/);

    const [sameAz] = buildPairs(snapshot([instance('i-a', 'web'), instance('i-b', 'web', { availabilityZone: 'us-east-1a' })], [route('rtb-1', toInstance('i-a'))]), TAG, statuses);
    assert.deepEqual(kinds(sameAz.flags), ['same-az']);
    assert.equal(sameAz.health.severity, 'warning');

    const [foreign] = buildPairs(snapshot([instance('i-a', 'web'), instance('i-b', 'web'), instance('i-c', undefined)], [route('rtb-1', toInstance('i-a')), route('rtb-2', toInstance('i-c'))]), TAG, statuses);
    assert.deepEqual(kinds(foreign.flags), ['vip-foreign-target']);
    assert.match(foreign.flags[0].message, /points at neither node in rtb-2 \(→ i-c\)/);
    assert.equal(foreign.vips[0].masterInstanceId, undefined);
    assert.equal(foreign.nodes[0].role, 'MASTER', 'the pair node holding routes is still its master');
  });

  it('flags a stopped or unhealthy node, source/dest check, too many nodes and no VIP', () => {
    const nodes = [
      instance('i-a', 'web', { sourceDestCheck: true }),
      instance('i-b', 'web', { state: 'stopped' }),
      instance('i-c', 'web'),
    ];
    const [pair] = buildPairs(snapshot(nodes, []), TAG, { 'i-a': { ...OK, instance: 'impaired' }, 'i-c': { ...OK, system: 'initializing' } });
    assert.deepEqual(kinds(pair.flags), ['extra-nodes', 'no-vip', 'status-checks', 'source-dest-check', 'node-down', 'status-checks']);
    assert.deepEqual(pair.nodes.map((n) => n.role), ['NONE', 'NONE', 'NONE']);
    assert.deepEqual(pair.flags.filter((f) => f.kind === 'status-checks').map((f) => f.severity), ['error', 'warning']);
  });

  it('does not count a terminated leftover as a third node', () => {
    const [pair] = buildPairs(snapshot([instance('i-a', 'web'), instance('i-b', 'web'), instance('i-0old', 'web', { state: 'terminated' })], [route('rtb-1', toInstance('i-a'))]), TAG, statuses);
    assert.deepEqual(kinds(pair.flags), ['node-down']);
    assert.equal(pair.flags[0].severity, 'warning');
  });

  it('sorts pairs by name and uses the configured tag key', () => {
    const pairs = buildPairs(snapshot([instance('i-1', undefined, { tags: { team: 'zeta' } }), instance('i-2', undefined, { tags: { team: 'alpha' } })], []), 'team', {});
    assert.deepEqual(pairs.map((p) => p.name), ['alpha', 'zeta']);
  });
});
