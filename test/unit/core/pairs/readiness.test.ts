import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoleFacts } from '../../../../src/core/iam/instanceRoles';
import { buildPairs } from '../../../../src/core/pairs/pairs';
import { ageText, assessReadiness, vipRouteTables, type EniFacts, type ReadinessFacts, type ReadinessKey } from '../../../../src/core/pairs/readiness';
import { parseServiceCheck } from '../../../../src/core/pairs/serviceCheck';
import type { StatusCheck } from '../../../../src/core/pairs/statusCheck';
import { vrrpAllowed, type SecurityGroupRules, type SgRule } from '../../../../src/core/pairs/vrrp';
import type { InstanceInfo, RegionSnapshot } from '../../../../src/core/vip/model';

const REGION = 'eu-west-1';
const OK: StatusCheck = { state: 'running', system: 'ok', instance: 'ok' };
const NOW = new Date('2026-08-01T12:00:00Z');
const TABLES = ['rtb-1', 'rtb-2'];
const arn = (table: string) => `arn:aws:ec2:${REGION}:123456789012:route-table/${table}`;

const instance = (id: string, ip: string, extra: Partial<InstanceInfo> = {}): InstanceInfo => ({
  instanceId: id, name: `web-${id.slice(-1)}`, state: 'running', privateIp: ip, sourceDestCheck: false, imdsv2Required: true,
  instanceProfileArn: 'arn:aws:iam::123456789012:instance-profile/haproxy', tags: { 'awsops:pair': 'web' }, ...extra,
});

function snapshot(a: Partial<InstanceInfo> = {}, b: Partial<InstanceInfo> = {}): RegionSnapshot {
  const routes = TABLES.map((t) => ({ routeTableId: t, availabilityZones: [], isMain: false, target: { kind: 'instance' as const, id: 'i-a', instanceId: 'i-a' }, state: 'active' }));
  return {
    region: REGION,
    vpcs: [{ vpcId: 'vpc-1', cidrs: ['10.0.0.0/16'], routeTables: TABLES.map((t) => ({ routeTableId: t, isMain: false, ownerId: '123456789012', subnetIds: [] })), vips: [{ cidr: '192.168.55.100/32', routes, diagnostics: [] }] }],
    instances: { 'i-a': instance('i-a', '10.0.1.10', a), 'i-b': instance('i-b', '10.0.2.10', b) },
    enis: {},
    subnets: {},
  };
}

const rule = (protocol: string, from: Partial<SgRule>): SgRule => ({ protocol, cidrs: [], groupIds: [], prefixListIds: [], ...from });
const ALL_OUT = [rule('-1', { cidrs: ['0.0.0.0/0'] })];
const group = (groupId: string, ingress: SgRule[], egress = ALL_OUT): SecurityGroupRules => ({ groupId, ingress, egress });
const eni = (id: string, ip: string, groupIds: string[], sourceDestCheck = false): EniFacts => ({ eniId: id, primary: true, privateIp: ip, groupIds, sourceDestCheck });
const allowReplace = (resource: string | string[] = 'arn:aws:ec2:*:*:route-table/*') => ({
  name: 'arn:aws:iam::123456789012:policy/routes',
  document: encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ec2:ReplaceRoute', 'ec2:DescribeRouteTables'], Resource: resource }] })),
});
const ROLE: RoleFacts = { kind: 'role', roleName: 'haproxy', policies: [allowReplace()] };
const checkOutput = ['awsops-check=1', 'service.keepalived=active', 'service.haproxy=active', 'notify.read=1', 'notify.ok=/usr/local/sbin/awsops-notify', 'routekeeper=active'];
const checked = (id: string, vrrp: string, extra: string[] = [], at = new Date(NOW.getTime() - 5 * 60_000)) => ({ report: parseServiceCheck(id, [...checkOutput, `vrrp.VI_1=${vrrp}`, ...extra].join('\n')), checkedAt: at });

function facts(change: { snap?: RegionSnapshot; statuses?: Record<string, StatusCheck>; over?: Partial<ReadinessFacts> } = {}): ReadinessFacts {
  const snap = change.snap ?? snapshot();
  const [pair] = buildPairs(snap, 'awsops:pair', change.statuses ?? { 'i-a': OK, 'i-b': OK });
  return {
    pair,
    enis: { 'i-a': [eni('eni-a', '10.0.1.10', ['sg-a'])], 'i-b': [eni('eni-b', '10.0.2.10', ['sg-b'])] },
    securityGroups: { 'sg-a': group('sg-a', [rule('112', { groupIds: ['sg-b'] })]), 'sg-b': group('sg-b', [rule('112', { cidrs: ['10.0.1.0/24'] })]) },
    roles: { 'i-a': ROLE, 'i-b': ROLE },
    routeTables: vipRouteTables(pair, snap),
    services: { 'i-a': checked('i-a', 'MASTER'), 'i-b': checked('i-b', 'BACKUP') },
    now: NOW,
    ...change.over,
  };
}

const state = (f: ReadinessFacts, key: ReadinessKey) => {
  const item = assessReadiness(f).items.find((i) => i.key === key);
  assert.ok(item, key);
  return item;
};

describe('assessReadiness', () => {
  it('is ready when every item holds, and says why for each', () => {
    const readiness = assessReadiness(facts());
    assert.deepEqual(readiness.items.filter((i) => i.state !== 'ok').map((i) => [i.key, i.why]), []);
    assert.equal(readiness.summary, 'ready');
    assert.deepEqual(readiness.items.map((i) => i.key), ['peer-running', 'status-checks', 'source-dest-check', 'vrrp', 'replace-route', 'imdsv2', 'notify-script', 'services']);
    assert.match(state(facts(), 'vrrp').details.join('\n'), /web-a → web-b: in by sg-b \(protocol 112 with 10\.0\.1\.0\/24\)/);
    assert.match(state(facts(), 'services').why, /checked 5 min ago/);
  });

  it('fails "peer running" and its status checks when the peer is stopped or impaired', () => {
    const stopped = facts({ snap: snapshot({}, { state: 'stopped' }) });
    assert.equal(state(stopped, 'peer-running').state, 'fail');
    assert.match(state(stopped, 'peer-running').why, /web-b \(i-b\) is stopped/);
    assert.equal(assessReadiness(stopped).summary, 'not-ready');
    const impaired = facts({ statuses: { 'i-a': OK, 'i-b': { state: 'running', system: 'ok', instance: 'impaired' } } });
    assert.equal(state(impaired, 'status-checks').state, 'fail');
    assert.equal(state(facts({ statuses: { 'i-a': OK } }), 'status-checks').state, 'unknown');
    assert.equal(state(facts({ statuses: { 'i-a': OK, 'i-b': { state: 'running', system: 'initializing', instance: 'ok' } } }), 'status-checks').state, 'unknown');
    // A stopped MASTER is what a failover is for: the peer is ready.
    assert.equal(state(facts({ snap: snapshot({ state: 'stopped' }) }), 'peer-running').state, 'ok');
  });

  it('fails the source/dest check on the instance or on any of its interfaces', () => {
    assert.match(state(facts({ snap: snapshot({}, { sourceDestCheck: true }) }), 'source-dest-check').why, /web-b \(i-b\): source\/dest check is on for the instance/);
    const eniOn = facts({ over: { enis: { 'i-a': [eni('eni-a', '10.0.1.10', ['sg-a'], true)], 'i-b': [eni('eni-b', '10.0.2.10', ['sg-b'])] } } });
    assert.match(state(eniOn, 'source-dest-check').why, /web-a \(i-a\): source\/dest check is on for eni-a/);
    const unread = facts({ over: { enis: {}, networkProblem: 'UnauthorizedOperation: no' } });
    assert.equal(state(unread, 'source-dest-check').state, 'unknown');
    assert.equal(state(unread, 'vrrp').state, 'unknown');
  });

  it('fails VRRP when a group lacks protocol 112 from the peer, either way; -1 and group references count', () => {
    const noVrrp = facts({ over: { securityGroups: { ...facts().securityGroups, 'sg-b': group('sg-b', [rule('tcp', { cidrs: ['10.0.0.0/16'] })]) } } });
    assert.equal(state(noVrrp, 'vrrp').state, 'fail');
    assert.match(state(noVrrp, 'vrrp').why, /web-a → web-b: no inbound rule of web-b's security groups \(sg-b\) allows IP protocol 112 from 10\.0\.1\.10/);
    const all = facts({ over: { securityGroups: { ...facts().securityGroups, 'sg-b': group('sg-b', [rule('-1', { groupIds: ['sg-a'] })]) } } });
    assert.equal(state(all, 'vrrp').state, 'ok');
    const noEgress = facts({ over: { securityGroups: { ...facts().securityGroups, 'sg-a': group('sg-a', [rule('112', { groupIds: ['sg-b'] })], []) } } });
    assert.match(state(noEgress, 'vrrp').why, /no outbound rule of web-a's security groups/);
    const wrongCidr = facts({ over: { securityGroups: { ...facts().securityGroups, 'sg-b': group('sg-b', [rule('112', { cidrs: ['10.0.9.0/24'] })]) } } });
    assert.equal(state(wrongCidr, 'vrrp').state, 'fail');
  });

  it('says unknown for prefix lists and groups it could not read', () => {
    const prefix = facts({ over: { securityGroups: { ...facts().securityGroups, 'sg-b': group('sg-b', [rule('112', { prefixListIds: ['pl-1'] })]) } } });
    assert.match(state(prefix, 'vrrp').why, /prefix list pl-1 is not evaluated/);
    assert.equal(state(prefix, 'vrrp').state, 'unknown');
    const onlyA = { 'sg-a': facts().securityGroups['sg-a'] };
    assert.equal(state(facts({ over: { securityGroups: onlyA } }), 'vrrp').state, 'unknown');
  });

  it('fails ec2:ReplaceRoute for a role whose policy misses one VIP table, or a node without a role', () => {
    const missesOne: RoleFacts = { kind: 'role', roleName: 'haproxy', policies: [allowReplace([arn('rtb-1')])] };
    const item = state(facts({ over: { roles: { 'i-a': missesOne, 'i-b': ROLE } } }), 'replace-route');
    assert.equal(item.state, 'fail');
    assert.match(item.why, /web-a \(i-a\): role haproxy may not replace routes in rtb-2: no statement allows ec2:ReplaceRoute on arn:aws:ec2:eu-west-1:123456789012:route-table\/rtb-2/);
    assert.doesNotMatch(item.why, /rtb-1/);
    const none = state(facts({ over: { roles: { 'i-a': ROLE, 'i-b': { kind: 'none', why: 'no instance profile: the notify script has no credentials to move routes' } } } }), 'replace-route');
    assert.equal(none.state, 'fail');
  });

  it('says unknown for a conditional policy, an unreadable role and a boundary it cannot evaluate; a boundary can deny', () => {
    const conditional: RoleFacts = { kind: 'role', roleName: 'haproxy', policies: [{ name: 'inline c', document: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': REGION } } }] }) }] };
    assert.equal(state(facts({ over: { roles: { 'i-a': conditional, 'i-b': ROLE } } }), 'replace-route').state, 'unknown');
    const refused: RoleFacts = { kind: 'unknown', why: 'iam:GetInstanceProfile answered AccessDenied: no' };
    assert.match(state(facts({ over: { roles: { 'i-a': refused, 'i-b': ROLE } } }), 'replace-route').why, /AccessDenied/);
    const bounded: RoleFacts = { ...ROLE, boundary: [allowReplace([arn('rtb-2')])] };
    assert.match(state(facts({ over: { roles: { 'i-a': bounded, 'i-b': ROLE } } }), 'replace-route').why, /rtb-1: the permissions boundary: no statement allows/);
    const noOwner = facts({ over: { routeTables: [{ routeTableId: 'rtb-1' }] } });
    assert.equal(state(noOwner, 'replace-route').state, 'unknown');
  });

  it('fails IMDSv2 when tokens are optional, unknown when not reported', () => {
    assert.match(state(facts({ snap: snapshot({ imdsv2Required: false }) }), 'imdsv2').why, /web-a \(i-a\): tokens optional/);
    assert.equal(state(facts({ snap: snapshot({}, { imdsv2Required: undefined }) }), 'imdsv2').state, 'unknown');
  });

  it('says "run Check keepalived & haproxy" until the SSM check ran, then judges its answer with its age', () => {
    const never = facts({ over: { services: {} } });
    assert.deepEqual([state(never, 'notify-script').state, state(never, 'notify-script').why], ['unknown', 'run Check keepalived & haproxy']);
    assert.equal(state(never, 'services').why, 'run Check keepalived & haproxy');
    assert.equal(assessReadiness(never).summary, 'unknown');
    const missing = facts({ over: { services: { 'i-a': checked('i-a', 'MASTER'), 'i-b': checked('i-b', 'BACKUP', ['notify.missing=/usr/local/sbin/awsops-notify']) } } });
    assert.equal(state(missing, 'notify-script').state, 'fail');
    const noScript = { report: parseServiceCheck('i-b', 'awsops-check=1\nservice.keepalived=active\nservice.haproxy=active\nvrrp.VI_1=BACKUP\nnotify.read=1\nroutekeeper=inactive'), checkedAt: NOW };
    assert.match(state(facts({ over: { services: { 'i-a': checked('i-a', 'MASTER'), 'i-b': noScript } } }), 'notify-script').why, /names no notify script/);
    const disagree = facts({ over: { services: { 'i-a': checked('i-a', 'BACKUP', [], new Date(NOW.getTime() - 3 * 3600_000)), 'i-b': checked('i-b', 'BACKUP') } } });
    assert.equal(state(disagree, 'services').state, 'fail');
    assert.match(state(disagree, 'services').why, /keepalived says BACKUP, but the VIP routes make this node MASTER\..*\(checked 3 h ago\)/);
    const silent = { report: parseServiceCheck('i-b', ''), checkedAt: NOW };
    assert.equal(state(facts({ over: { services: { 'i-a': checked('i-a', 'MASTER'), 'i-b': silent } } }), 'services').state, 'unknown');
  });

  it('has no peer with one live node', () => {
    const gone = facts({ snap: snapshot({}, { state: 'terminated' }) });
    assert.equal(state(gone, 'peer-running').state, 'fail');
    assert.equal(state(gone, 'vrrp').state, 'fail');
  });
});

describe('vipRouteTables and ageText', () => {
  it('names each VIP table by its ARN, in the partition of the region', () => {
    const { pair } = facts();
    assert.deepEqual(vipRouteTables(pair, snapshot()), TABLES.map((t) => ({ routeTableId: t, arn: arn(t) })));
    const china = { ...snapshot(), region: 'cn-north-1' };
    assert.equal(vipRouteTables(pair, china)[0].arn, 'arn:aws-cn:ec2:cn-north-1:123456789012:route-table/rtb-1');
  });

  it('says how long ago', () => {
    assert.equal(ageText(new Date(NOW.getTime() - 20_000), NOW), 'just now');
    assert.equal(ageText(new Date(NOW.getTime() - 59 * 60_000), NOW), '59 min ago');
    assert.equal(ageText(new Date(NOW.getTime() - 72 * 3600_000), NOW), '3 days ago');
  });

  it('vrrpAllowed: an unknown private IP cannot match a CIDR rule', () => {
    const groups = { 'sg-b': group('sg-b', [rule('112', { cidrs: ['10.0.0.0/16'] })]), 'sg-a': group('sg-a', []) };
    assert.equal(vrrpAllowed({ label: 'a', groupIds: ['sg-a'] }, { label: 'b', ip: '10.0.2.1', groupIds: ['sg-b'] }, groups).state, 'unknown');
  });
});
