import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnoseVip, worstSeverity } from '../../../../src/core/vip/diagnostics';
import type { InstanceInfo, RegionSnapshot, RouteTarget, Vip, VipRoute, VpcInfo } from '../../../../src/core/vip/model';

const instance = (instanceId: string, name: string, extra: Partial<InstanceInfo> = {}): InstanceInfo => ({
  instanceId, name, state: 'running', sourceDestCheck: false, primaryEniId: `eni-${instanceId}`, tags: { Name: name }, ...extra,
});

/** A VPC of three subnet-serving tables (rtb-1..3) plus a main table serving none, and the pair lb-a / lb-b. */
function fixture(overrides: { instances?: InstanceInfo[]; enis?: RegionSnapshot['enis']; cidrs?: string[] } = {}) {
  const instances = overrides.instances ?? [instance('i-a', 'lb-a'), instance('i-b', 'lb-b')];
  const snapshot: RegionSnapshot = {
    region: 'eu-west-1',
    vpcs: [],
    instances: Object.fromEntries(instances.map((i) => [i.instanceId, i])),
    enis: overrides.enis ?? {
      'eni-i-a': { eniId: 'eni-i-a', status: 'in-use', attachedInstanceId: 'i-a', sourceDestCheck: false },
      'eni-i-b': { eniId: 'eni-i-b', status: 'in-use', attachedInstanceId: 'i-b', sourceDestCheck: false },
    },
    subnets: {},
  };
  const vpc: VpcInfo = {
    vpcId: 'vpc-1',
    cidrs: overrides.cidrs ?? ['10.0.0.0/16', '2600:1f18:abc:de00::/56'],
    routeTables: [
      { routeTableId: 'rtb-main', isMain: true, subnetIds: [] },
      { routeTableId: 'rtb-1', name: 'private-a', isMain: false, subnetIds: ['subnet-1'] },
      { routeTableId: 'rtb-2', name: 'private-b', isMain: false, subnetIds: ['subnet-2'] },
      { routeTableId: 'rtb-3', isMain: false, subnetIds: ['subnet-3'] },
    ],
    vips: [],
  };
  return { snapshot, vpc };
}

const toInstance = (id: string): RouteTarget => ({ kind: 'instance', id, instanceId: id });
const toEni = (id: string, instanceId?: string): RouteTarget => ({ kind: 'eni', id, eniId: id, instanceId });
const route = (routeTableId: string, target: RouteTarget, state = 'active'): VipRoute => ({
  routeTableId, availabilityZones: [], isMain: false, target, state,
});
const vip = (cidr: string, routes: VipRoute[]): Vip => ({ cidr, routes, diagnostics: [] });
const everyTable = (target: RouteTarget) => ['rtb-1', 'rtb-2', 'rtb-3'].map((t) => route(t, target));
const kinds = (v: Vip, f = fixture()) => diagnoseVip(v, f.vpc, f.snapshot).map((d) => d.kind);

describe('diagnoseVip', () => {
  it('finds nothing wrong with a VIP routed to one running node in every table that serves a subnet', () => {
    assert.deepEqual(kinds(vip('192.168.55.100/32', everyTable(toInstance('i-a')))), []);
  });

  it('reports split brain when tables send the VIP to different instances, naming both sides', () => {
    const v = vip('192.168.55.101/32', [route('rtb-1', toInstance('i-a')), route('rtb-2', toInstance('i-a')), route('rtb-3', toInstance('i-b'))]);
    const f = fixture();
    const [d] = diagnoseVip(v, f.vpc, f.snapshot);
    assert.equal(d.kind, 'split-brain');
    assert.equal(d.severity, 'error');
    assert.match(d.message, /rtb-1, rtb-2 → lb-a \(i-a\); rtb-3 → lb-b \(i-b\)/);
    assert.deepEqual(d.routeTableIds, ['rtb-1', 'rtb-2', 'rtb-3']);
  });

  it('does not call an ENI and its own instance split brain', () => {
    const v = vip('192.168.55.102/32', [route('rtb-1', toEni('eni-i-a', 'i-a')), route('rtb-2', toInstance('i-a')), route('rtb-3', toEni('eni-i-a', 'i-a'))]);
    assert.deepEqual(kinds(v), []);
  });

  it('reports a route to a stopped, stopping or terminated instance as a blackhole, once per cause', () => {
    for (const state of ['stopped', 'stopping', 'terminated', 'shutting-down']) {
      const f = fixture({ instances: [instance('i-a', 'lb-a', { state })] });
      const diagnostics = diagnoseVip(vip('192.168.55.103/32', everyTable(toInstance('i-a'))), f.vpc, f.snapshot);
      assert.equal(diagnostics.length, 1, state);
      assert.equal(diagnostics[0].kind, 'blackhole');
      assert.match(diagnostics[0].message, new RegExp(`lb-a \\(i-a\\) is ${state}`));
      assert.deepEqual(diagnostics[0].routeTableIds, ['rtb-1', 'rtb-2', 'rtb-3']);
    }
  });

  it('reports a vanished instance, a vanished ENI, a detached ENI and an EC2 blackhole route', () => {
    const f = fixture({ enis: { 'eni-loose': { eniId: 'eni-loose', status: 'available' } } });
    const cases: Array<[RouteTarget, string, RegExp]> = [
      [toInstance('i-gone'), 'active', /Instance i-gone no longer exists/],
      [toEni('eni-gone'), 'active', /ENI eni-gone no longer exists/],
      [toEni('eni-loose'), 'active', /ENI eni-loose is not attached/],
      [toInstance('i-a'), 'blackhole', /unavailable \(blackhole\)/],
    ];
    for (const [target, state, message] of cases) {
      const diagnostics = diagnoseVip(vip('192.168.55.103/32', ['rtb-1', 'rtb-2', 'rtb-3'].map((t) => route(t, target, state))), f.vpc, f.snapshot);
      assert.deepEqual(diagnostics.map((d) => d.kind), ['blackhole'], String(message));
      assert.match(diagnostics[0].message, message);
    }
  });

  it('reports tables that serve subnets but lack the VIP, and ignores a main table that serves none', () => {
    const f = fixture();
    const [d] = diagnoseVip(vip('192.168.55.104/32', [route('rtb-1', toInstance('i-a'))]), f.vpc, f.snapshot);
    assert.equal(d.kind, 'partial-coverage');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.routeTableIds, ['rtb-2', 'rtb-3']);
    assert.equal(d.message, 'The VIP route is missing from private-b (rtb-2), used by subnet-2; rtb-3, used by subnet-3: those subnets cannot reach the VIP.');
  });

  it('names a main table that serves a subnet implicitly by its Name tag, with the subnets that cannot reach the VIP', () => {
    const f = fixture();
    f.vpc.routeTables[0] = { routeTableId: 'rtb-main', name: 'main', isMain: true, subnetIds: ['subnet-4', 'subnet-5'] };
    f.snapshot.subnets = { 'subnet-4': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-1', name: 'app-d' }, 'subnet-5': { availabilityZone: 'eu-west-1b', vpcId: 'vpc-1' } };
    const [d] = diagnoseVip(vip('192.168.55.104/32', everyTable(toInstance('i-a'))), f.vpc, f.snapshot);
    assert.deepEqual([d.kind, d.routeTableIds], ['partial-coverage', ['rtb-main']]);
    assert.equal(d.message, 'The VIP route is missing from the main table main (rtb-main), used by app-d (subnet-4) and subnet-5: those subnets cannot reach the VIP.');
  });

  it('reports a VIP inside any VPC CIDR, IPv4 and IPv6 alike', () => {
    assert.deepEqual(kinds(vip('10.0.99.100/32', everyTable(toInstance('i-a')))), ['vip-inside-cidr']);
    assert.deepEqual(kinds(vip('2600:1f18:abc:de12::100/128', everyTable(toInstance('i-a')))), ['vip-inside-cidr']);
    assert.deepEqual(kinds(vip('2600:1f18:abc:df00::100/128', everyTable(toInstance('i-a')))), []);
    assert.deepEqual(kinds(vip('10.0.99.100/32', everyTable(toInstance('i-a'))), fixture({ cidrs: ['10.1.0.0/16'] })), []);
  });

  it('reports source/dest check on the ENI the route names, else on the instance', () => {
    const f = fixture({
      instances: [instance('i-a', 'lb-a', { sourceDestCheck: true }), instance('i-b', 'lb-b')],
      enis: {
        'eni-i-a': { eniId: 'eni-i-a', status: 'in-use', attachedInstanceId: 'i-a', sourceDestCheck: false },
        'eni-b2': { eniId: 'eni-b2', status: 'in-use', attachedInstanceId: 'i-b', sourceDestCheck: true },
      },
    });
    const onInstance = diagnoseVip(vip('192.168.55.105/32', everyTable(toInstance('i-a'))), f.vpc, f.snapshot);
    assert.deepEqual(onInstance.map((d) => d.kind), ['source-dest-check']);
    assert.match(onInstance[0].message, /lb-a \(i-a\)/);
    const onSecondEni = diagnoseVip(vip('192.168.55.105/32', everyTable(toEni('eni-b2', 'i-b'))), f.vpc, f.snapshot);
    assert.match(onSecondEni[0].message, /ENI eni-b2 of lb-b \(i-b\)/);
    // EC2 may name the ENI on an instance route too: the ENI's own (off) check then decides.
    const namedEni: RouteTarget = { kind: 'instance', id: 'i-a', instanceId: 'i-a', eniId: 'eni-i-a' };
    assert.deepEqual(kinds(vip('192.168.55.105/32', everyTable(namedEni)), f), []);
  });

  it('combines independent problems of one VIP', () => {
    const f = fixture({ instances: [instance('i-a', 'lb-a'), instance('i-b', 'lb-b', { state: 'stopped', sourceDestCheck: true })] });
    const v = vip('10.0.5.5/32', [route('rtb-1', toInstance('i-a')), route('rtb-2', toInstance('i-b'))]);
    assert.deepEqual(diagnoseVip(v, f.vpc, f.snapshot).map((d) => d.kind).sort(), ['blackhole', 'partial-coverage', 'source-dest-check', 'split-brain', 'vip-inside-cidr']);
  });
});

describe('worstSeverity', () => {
  it('is error over warning, and undefined for no diagnostics', () => {
    assert.equal(worstSeverity([]), undefined);
    assert.equal(worstSeverity([{ kind: 'partial-coverage', severity: 'warning', message: '' }]), 'warning');
    assert.equal(worstSeverity([{ kind: 'partial-coverage', severity: 'warning', message: '' }, { kind: 'blackhole', severity: 'error', message: '' }]), 'error');
  });
});
