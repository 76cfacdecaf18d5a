import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPairs, type Pair } from '../../../../src/core/pairs/pairs';
import { parseServiceCheck } from '../../../../src/core/pairs/serviceCheck';
import type { StatusCheck } from '../../../../src/core/pairs/statusCheck';
import type { InstanceInfo, RegionSnapshot, RouteTarget, VipRoute } from '../../../../src/core/vip/model';
import { buildPairsTree, describeServices, pairRowOf, serviceKey, vipRowOf, withNodeNames, type PairRegionView, type ServiceCheckView } from '../../../../src/features/pairs/model';
import type { TreeNode } from '../../../../src/plumbing/treeNode';
import { inertTooltips, renderedText } from '../../../support/markdown';

const TAG = 'awsops:pair';
const REGION = 'eu-west-1';
const VIP = '192.168.55.100/32';
const OK: StatusCheck = { state: 'running', system: 'ok', instance: 'ok' };

const instance = (id: string, name: string, pair: string | undefined, extra: Partial<InstanceInfo> = {}): InstanceInfo => ({
  instanceId: id, name, state: 'running', availabilityZone: id.endsWith('b') ? `${REGION}b` : `${REGION}a`, subnetId: `subnet-${id}`,
  vpcId: 'vpc-1', privateIp: id.endsWith('b') ? '10.0.2.10' : '10.0.1.10', instanceType: 't3.micro', sourceDestCheck: false,
  imdsv2Required: true, instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/haproxy', primaryEniId: `eni-${id}`,
  tags: pair ? { [TAG]: pair, Name: name } : { Name: name }, ...extra,
});
const route = (table: string, target: RouteTarget, name?: string): VipRoute => ({ routeTableId: table, routeTableName: name, availabilityZones: [], isMain: false, target, state: 'active' });
const to = (id: string): RouteTarget => ({ kind: 'instance', id, instanceId: id });

function snapshot(instances: InstanceInfo[], routes: VipRoute[]): RegionSnapshot {
  return {
    region: REGION,
    vpcs: [{ vpcId: 'vpc-1', cidrs: ['10.0.0.0/16'], routeTables: [], vips: routes.length ? [{ cidr: VIP, routes, diagnostics: [] }] : [] }],
    instances: Object.fromEntries(instances.map((i) => [i.instanceId, i])),
    enis: Object.fromEntries(instances.map((i) => [`eni-${i.instanceId}`, { eniId: `eni-${i.instanceId}`, status: 'in-use', attachedInstanceId: i.instanceId }])),
    subnets: {},
  };
}

const web = [instance('i-a', 'web-a', 'web'), instance('i-b', 'web-b', 'web')];
const toA = [route('rtb-1', to('i-a'), 'private-a'), route('rtb-2', to('i-a'), 'private-b')];
const region = (snap: RegionSnapshot, statuses: Record<string, StatusCheck> = { 'i-a': OK, 'i-b': OK }): PairRegionView => ({ region: REGION, ok: true, pairs: buildPairs(snap, TAG, statuses) });
const tree = (regions: PairRegionView[], services: Map<string, ServiceCheckView> = new Map()) => buildPairsTree({ regions, services });
const child = (node: TreeNode | undefined, label: string) => {
  const found = node?.children?.find((c) => c.label === label);
  assert.ok(found, `no row "${label}" under ${node?.label}: ${JSON.stringify(node?.children?.map((c) => c.label))}`);
  return found;
};

const STATS = ['# pxname,svname,status', 'fe,FRONTEND,OPEN', 'be_app,app1,UP', 'be_app,app2,UP', 'be_app,BACKEND,UP'];
const checked = (instanceId: string, lines: string[]): ServiceCheckView => ({ report: parseServiceCheck(instanceId, lines.join('\n')), checkedAt: new Date(0) });
const healthyOutput = (vrrp: string) => ['awsops-check=1', 'service.keepalived=active', 'service.haproxy=active', `vrrp.VI_1=${vrrp}`, 'haproxy.stat.begin', ...STATS, 'haproxy.stat.end'];

describe('HAProxy Pairs tree model', () => {
  it('shows a healthy pair with its VIP, MASTER and health, the nodes with their facts, and a VIP row to fail over from', () => {
    const [pair] = tree([region(snapshot(web, toA))]);
    assert.equal(pair.label, 'web');
    assert.equal(pair.description, '192.168.55.100 · MASTER web-a · healthy');
    assert.equal(pair.icon?.id, 'pass');
    assert.equal(pair.contextValue, 'pair');
    assert.deepEqual(pairRowOf(pair), { region: REGION, pairName: 'web' });
    assert.deepEqual(pair.children?.map((c) => c.label), ['web-a', 'web-b', '192.168.55.100']);

    const a = child(pair, 'web-a');
    assert.equal(a.description, `MASTER · running · ${REGION}a · 10.0.1.10 · checks ok`);
    assert.equal(child(pair, 'web-b').description, `BACKUP · running · ${REGION}b · 10.0.2.10 · checks ok`);
    assert.deepEqual(a.console, { region: REGION, resource: { kind: 'instance', id: 'i-a' } });
    assert.equal(a.contextValue, 'pairNode');
    for (const fact of ['MASTER: the VIP routes point here', 't3.micro', 'subnet subnet-i-a', 'system ok, instance ok', 'Source/dest check: off', 'IMDSv2: required', 'instance-profile/haproxy']) {
      assert.ok(renderedText(a.tooltip ?? '').includes(fact), `tooltip lacks "${fact}": ${a.tooltip}`);
    }

    const vip = child(pair, '192.168.55.100');
    assert.equal(vip.contextValue, 'vip');
    assert.equal(vip.description, '→ web-a · 2 tables');
    // The same shape as a VIP row of the VIP Routes view, so awsops.failover reads both alike.
    assert.deepEqual(vipRowOf(vip), { region: REGION, pairName: 'web', vpcId: 'vpc-1', cidr: VIP });
    assert.deepEqual(vipRowOf({ id: 'x', label: 'x', data: { region: REGION, vpcId: 'vpc-1', cidr: VIP } }), { region: REGION, vpcId: 'vpc-1', cidr: VIP });
    assert.equal(pairRowOf({ id: 'x', label: 'x', data: { region: REGION, vpcId: 'vpc-1', cidr: VIP } }), undefined);
  });

  it('flags a pair missing a node, both nodes in one AZ, and a VIP pointing at neither node', () => {
    const [lone] = tree([region(snapshot([web[0]], toA))]);
    assert.equal(lone.icon?.id, 'error');
    assert.equal(child(lone, 'Missing node').icon?.id, 'error');
    assert.match(lone.description ?? '', /there is no peer to fail over to/);

    const [sameAz] = tree([region(snapshot([web[0], { ...web[1], availabilityZone: `${REGION}a` }], toA))]);
    assert.equal(child(sameAz, 'Both nodes in one AZ').icon?.id, 'warning');
    assert.equal(sameAz.icon?.id, 'warning');

    const stray = instance('i-x', 'old', undefined);
    const [foreign] = tree([region(snapshot([...web, stray], [...toA, route('rtb-3', to('i-x'))]))]);
    assert.match(child(foreign, 'VIP points at neither node').description ?? '', /rtb-3/);
    const vip = child(foreign, '192.168.55.100');
    assert.equal(vip.icon?.id, 'error');
    assert.equal(vip.description, '→ web-a ×2, i-x ×1 · 3 tables');
  });

  it('shows SPLIT roles when the tables disagree, and a stopped peer without status checks', () => {
    const [split] = tree([region(snapshot(web, [route('rtb-1', to('i-a')), route('rtb-2', to('i-b'))]))]);
    assert.match(split.description ?? '', /MASTER split/);
    assert.match(child(split, 'web-a').description ?? '', /^SPLIT · running/);

    const stopped = { ...web[1], state: 'stopped' };
    const [pair] = tree([region(snapshot([web[0], stopped], toA), { 'i-a': OK, 'i-b': { state: 'stopped', system: 'not-applicable', instance: 'not-applicable' } })]);
    assert.equal(child(pair, 'web-b').description, `BACKUP · stopped · ${REGION}b · 10.0.2.10`);
    assert.equal(child(pair, 'web-b').icon?.id, 'warning');
    assert.equal(child(pair, 'Node down').description, 'web-b (i-b) is stopped.');
  });

  it('shows a public VIP (Elastic IP) beside the route VIP, held by the MASTER; flags one on the peer and one unassociated', () => {
    const eip = (allocationId: string, publicIp: string, holder?: { instanceId?: string; eniId?: string }, tags: Record<string, string> = {}) =>
      ({ allocationId, publicIp, ...(holder ? { associationId: `eipassoc-${allocationId}`, privateIp: '10.0.1.10', ...holder } : {}), tags });
    const withEips = (...addresses: ReturnType<typeof eip>[]) => ({ ...snapshot(web, toA), addresses });
    const [pair] = tree([region(withEips(eip('eipalloc-1', '3.3.3.3', { eniId: 'eni-i-a' })))]);
    assert.match(pair.description ?? '', /^192\.168\.55\.100, 3\.3\.3\.3 · MASTER web-a · healthy/);
    const row = child(pair, '3.3.3.3');
    assert.equal(row.description, 'Elastic IP → web-a (10.0.1.10) · eipalloc-1');
    assert.equal(row.contextValue, 'publicVip');
    assert.deepEqual(row.console, { region: REGION, resource: { kind: 'elastic-ip', id: 'eipalloc-1' } });

    const [bad] = tree([region(withEips(eip('eipalloc-2', '3.3.3.4', { instanceId: 'i-b' }), eip('eipalloc-3', '3.3.3.5', undefined, { [TAG]: 'web' })))]);
    assert.match(child(bad, 'Elastic IP and routes disagree').description ?? '', /3\.3\.3\.4 \(eipalloc-2\) is on i-b while the VIP routes point at i-a/);
    assert.match(child(bad, 'Elastic IP not associated').description ?? '', /3\.3\.3\.5 \(eipalloc-3\) of pair "web" is not associated/);
    assert.equal(child(bad, '3.3.3.5').description, 'Elastic IP not associated · eipalloc-3');
    assert.equal(child(bad, 'web-b').description?.split(' · ')[0], 'SPLIT');
  });

  it('shows the keepalived & haproxy check under each node, "unknown" where the node told nothing', () => {
    const services = new Map([
      [serviceKey(REGION, 'i-a'), checked('i-a', healthyOutput('MASTER'))],
      [serviceKey(REGION, 'i-b'), checked('i-b', [])],
    ]);
    const [pair] = tree([region(snapshot(web, toA))], services);
    const a = child(child(pair, 'web-a'), 'keepalived & haproxy');
    assert.equal(a.description, 'keepalived: active, MASTER · haproxy: active · backends 2/2 UP');
    assert.equal(a.icon?.id, 'pass');
    assert.match(renderedText(a.tooltip ?? ''), /be_app\/app1: UP/);
    const b = child(child(pair, 'web-b'), 'keepalived & haproxy');
    assert.equal(b.description, 'unknown');
    assert.equal(b.icon?.id, 'question');
    assert.match(renderedText(b.tooltip ?? ''), /returned no check output/);
  });

  it('warns when keepalived disagrees with the routes or a backend is down', () => {
    const down = healthyOutput('BACKUP').map((line) => (line === 'be_app,app2,UP' ? 'be_app,app2,DOWN' : line));
    const services = new Map([[serviceKey(REGION, 'i-a'), checked('i-a', down)]]);
    const [pair] = tree([region(snapshot(web, toA))], services);
    const row = child(child(pair, 'web-a'), 'keepalived & haproxy');
    assert.equal(row.description, 'keepalived: active, BACKUP · haproxy: active · backends 1/2 UP');
    assert.equal(row.icon?.id, 'warning');
    assert.match(renderedText(row.tooltip ?? ''), /Not UP: be_app\/app2 DOWN/);
    assert.match(renderedText(row.tooltip ?? ''), /keepalived says BACKUP, but the VIP routes make this node MASTER/);
    assert.equal(describeServices(parseServiceCheck('i-a', 'awsops-check=1\nservice.keepalived=active\n')), 'keepalived: active, VRRP state unknown · haproxy: unknown · backends unknown');
  });

  it('shows a failed region, and unreadable status checks, as error rows beside the regions that answered', () => {
    const error = { code: 'AccessDenied', message: 'not allowed', hint: 'ask for ec2:DescribeInstanceStatus' };
    const rows = tree([
      { region: 'us-east-1', ok: false, error },
      { ...(region(snapshot(web, toA), {}) as Extract<PairRegionView, { ok: true }>), statusError: error },
    ]);
    assert.deepEqual(rows.map((r) => r.label), ['us-east-1: AccessDenied: not allowed', `${REGION}: AccessDenied: status checks unknown: not allowed`, 'web']);
    assert.equal(rows[0].contextValue, 'error');
    // With several regions, each pair says where it is.
    assert.match(rows[2].description ?? '', new RegExp(`· ${REGION}$`));
    assert.match(child(rows[2], 'web-a').description ?? '', /status checks unknown$/);
  });

  it('shows tag values and AWS text in every tooltip as written: no link, image or markup', () => {
    const hostile = '[x](command:workbench.action.terminal.new) ![i](http://evil/i.png) <img src=x> **b** `c` # h';
    const nodes = [instance('i-a', hostile, hostile, { state: 'stopped' }), instance('i-b', 'web-b', hostile)];
    const report = parseServiceCheck('i-a', ['awsops-check=1', 'service.keepalived=active', 'haproxy.stat.begin', STATS[0], `be,${hostile},DOWN`, 'haproxy.stat.end'].join('\n'));
    const services = new Map([[serviceKey(REGION, 'i-a'), { report, checkedAt: new Date(0) }]]);
    const error = { region: 'us-east-1', ok: false as const, error: { code: hostile, message: hostile, hint: hostile } };
    const texts = inertTooltips(tree([region(snapshot(nodes, [route('rtb-1', to('i-a'), hostile), route('rtb-2', to('i-c'))])), error], services));
    const withHostile = [...texts].filter(([, text]) => text.includes(hostile)).map(([id]) => id);
    assert.deepEqual(withHostile.map((id) => id.replace(hostile, 'H')), [
      'pair:eu-west-1/H', 'pair:eu-west-1/H/flag1', 'pair:eu-west-1/H/i-a', 'pair:eu-west-1/H/i-a/services', 'pair:eu-west-1/H/vip/192.168.55.100/32', 'pairs:us-east-1:error',
    ]);
  });

  it('puts a Readiness row under each pair ("checking" until read) and sums it up on the pair row', () => {
    const view = region(snapshot(web, toA));
    const [pair] = view.ok ? view.pairs : [];
    const readinessFacts = {
      pair,
      enis: { 'i-a': [{ eniId: 'eni-i-a', primary: true, sourceDestCheck: false, privateIp: '10.0.1.10', groupIds: ['sg-1'] }], 'i-b': [{ eniId: 'eni-i-b', primary: true, sourceDestCheck: false, privateIp: '10.0.2.10', groupIds: ['sg-1'] }] },
      securityGroups: { 'sg-1': { groupId: 'sg-1', ingress: [{ protocol: '112', cidrs: [], groupIds: ['sg-1'], prefixListIds: [] }], egress: [{ protocol: '-1', cidrs: ['0.0.0.0/0'], groupIds: [], prefixListIds: [] }] } },
      roles: Object.fromEntries(['i-a', 'i-b'].map((id) => [id, { kind: 'role' as const, roleName: 'lb', policies: [{ name: 'inline p', document: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }] }) }] }])),
      routeTables: [{ routeTableId: 'rtb-1', arn: 'arn:aws:ec2:eu-west-1:1:route-table/rtb-1' }],
    };
    const checking = buildPairsTree({ regions: [view], services: new Map(), readiness: { facts: new Map(), now: new Date(0) } });
    assert.equal(child(checking[0], 'Readiness').description, 'checking…');
    assert.equal(checking[0].icon?.id, 'pass', 'the health icon until readiness is known');

    const now = new Date(600_000);
    const unknown = buildPairsTree({ regions: [view], services: new Map(), readiness: { facts: new Map([[`${REGION}/web`, readinessFacts]]), now } })[0];
    assert.equal(unknown.description, '192.168.55.100 · MASTER web-a · healthy · readiness unknown');
    assert.equal(unknown.icon?.id, 'question');
    const row = child(unknown, 'Readiness');
    assert.equal(row.description, 'readiness unknown (2 unknown of 8)');
    assert.equal(child(row, 'keepalived & haproxy').description, 'unknown (run Check keepalived & haproxy)');
    assert.equal(child(row, 'Peer running').icon?.id, 'pass');

    const output = (vrrp: string) => [...healthyOutput(vrrp), 'notify.read=1', 'notify.ok=/usr/local/sbin/awsops-notify'];
    const services = new Map([[serviceKey(REGION, 'i-a'), checked('i-a', output('MASTER'))], [serviceKey(REGION, 'i-b'), checked('i-b', output('BACKUP'))]]);
    const ready = buildPairsTree({ regions: [view], services, readiness: { facts: new Map([[`${REGION}/web`, readinessFacts]]), now } })[0];
    assert.equal(ready.icon?.id, 'pass');
    assert.match(ready.description ?? '', /· ready$/);
    assert.match(child(child(ready, 'Readiness'), 'keepalived & haproxy').description ?? '', /^✓ .*\(checked 10 min ago\)$/);

    const optional = { ...readinessFacts, pair: { ...pair, nodes: pair.nodes.map((n) => ({ ...n, instance: { ...n.instance, imdsv2Required: false } })) } };
    const notReady = buildPairsTree({ regions: [view], services, readiness: { facts: new Map([[`${REGION}/web`, optional]]), now } })[0];
    assert.equal(notReady.icon?.id, 'error');
    assert.match(notReady.description ?? '', /· not ready$/);
    assert.equal(child(notReady, 'Readiness').expanded, true);
    assert.match(child(child(notReady, 'Readiness'), 'IMDSv2 required').description ?? '', /^✗ web-a \(i-a\): tokens optional/);
  });

  it('names the nodes in plan and report lines, leaving ids already named and other instances alone', () => {
    const a = 'i-0123456789abcdef0';
    const b = 'i-0fedcba9876543210';
    const pair = { nodes: [{ instance: { instanceId: a, name: 'api-a' } }, { instance: { instanceId: b, name: 'api-b' } }] } as unknown as Pair;
    assert.deepEqual(withNodeNames([`  rt-00: ${a} → ${b}`, `to api-b (${b})`, 'i-0aaaaaaaaaaaaaaaa is not in the pair'], pair), [
      `  rt-00: api-a (${a}) → api-b (${b})`,
      `to api-b (${b})`,
      'i-0aaaaaaaaaaaaaaaa is not in the pair',
    ]);
  });
});
