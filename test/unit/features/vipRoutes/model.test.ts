import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RouteTable, Subnet } from '@aws-sdk/client-ec2';
import type { RegionResult, RegionSnapshot } from '../../../../src/core/vip/model';
import { buildSnapshot } from '../../../../src/core/vip/snapshot';
import { inertTooltips } from '../../../support/markdown';
import type { TreeNode } from '../../../../src/plumbing/treeNode';
import { buildVipRouteTree } from '../../../../src/features/vipRoutes/model';

const instance = (instanceId: string, name: string) => ({ instanceId, name, state: 'running', tags: { Name: name } });

const snapshot: RegionSnapshot = {
  region: 'eu-west-1',
  instances: { 'i-a': instance('i-a', 'lb-a'), 'i-b': instance('i-b', 'lb-b') },
  enis: {},
  subnets: {},
  vpcs: [
    {
      vpcId: 'vpc-1',
      name: 'prod',
      cidrs: ['10.0.0.0/16'],
      routeTables: [],
      vips: [
        {
          cidr: '192.168.55.101/32',
          routes: [
            { routeTableId: 'rtb-1', routeTableName: 'private-a', availabilityZones: ['eu-west-1a'], isMain: false, state: 'active', target: { kind: 'instance', id: 'i-a', instanceId: 'i-a' } },
            { routeTableId: 'rtb-2', availabilityZones: ['eu-west-1b'], isMain: false, state: 'active', target: { kind: 'instance', id: 'i-b', instanceId: 'i-b' } },
          ],
          diagnostics: [{ kind: 'split-brain', severity: 'error', message: 'Route tables disagree: 1 → lb-a, 1 → lb-b.' }],
        },
      ],
    },
    { vpcId: 'vpc-empty', cidrs: ['10.9.0.0/16'], routeTables: [], vips: [] },
  ],
};

const find = (nodes: readonly TreeNode[] | undefined, label: string) => nodes?.find((n) => n.label === label);

describe('VIP Routes tree model', () => {
  it('nests region → VPC → VIP → diagnostics and route tables, hiding VPCs without VIPs', () => {
    const [region] = buildVipRouteTree([{ region: 'eu-west-1', ok: true, snapshot }]);
    assert.equal(region.label, 'eu-west-1');
    assert.equal(region.description, '1 VIP · 1 with problems');
    assert.deepEqual(region.children?.map((c) => c.label), ['prod']);
    const vip = find(region.children?.[0].children, '192.168.55.101');
    assert.ok(vip);
    assert.equal(vip.icon?.id, 'error');
    assert.equal(vip.description, '→ lb-a ×1, lb-b ×1 · 2 tables');
    assert.deepEqual(vip.children?.map((c) => c.label), ['Split brain', 'private-a', 'rtb-2']);
    assert.equal(vip.children?.[1].description, 'eu-west-1a → lb-a · active');
  });

  it('lists a pair\'s Elastic IP beside the route VIPs of its VPC, with its problems, when pairs are looked for', () => {
    const tagged = (i: ReturnType<typeof instance>, subnetId: string) => ({ ...i, vpcId: 'vpc-empty', subnetId, tags: { ...i.tags, 'awsops:pair': 'edge' } });
    const edge: RegionSnapshot = {
      ...snapshot,
      instances: { 'i-a': tagged(instance('i-a', 'lb-a'), 'subnet-a'), 'i-b': tagged(instance('i-b', 'lb-b'), 'subnet-b') },
      subnets: { 'subnet-a': { availabilityZone: 'eu-west-1a', vpcId: 'vpc-empty', public: true }, 'subnet-b': { availabilityZone: 'eu-west-1b', vpcId: 'vpc-empty', public: false } },
      addresses: [{ allocationId: 'eipalloc-1', publicIp: '3.3.3.3', associationId: 'eipassoc-1', instanceId: 'i-a', privateIp: '10.9.1.5', tags: {} }],
    };
    assert.equal(buildVipRouteTree([{ region: 'eu-west-1', ok: true, snapshot: edge }])[0].children?.length, 1, 'without the pair tag key: route VIPs only');
    const [region] = buildVipRouteTree([{ region: 'eu-west-1', ok: true, snapshot: edge }], { pairTagKey: 'awsops:pair' });
    assert.equal(region.description, '2 VIPs · 2 with problems');
    const eip = find(find(region.children, 'vpc-empty')?.children, '3.3.3.3');
    assert.equal(eip?.description, 'Elastic IP → lb-a (10.9.1.5) · pair edge');
    assert.deepEqual(eip?.children?.map((c) => c.description), ['lb-b (i-b) is in subnet subnet-b, which has no route to an internet gateway: the Elastic IP cannot reach it there.']);
  });

  it('shows a failed region as an error row with the hint, next to regions that answered', () => {
    const results: RegionResult[] = [
      { region: 'us-east-1', ok: false, error: { code: 'AccessDenied', message: 'not allowed', hint: 'ask for ec2:Describe*' } },
      { region: 'eu-west-1', ok: true, snapshot },
    ];
    const [failed, ok] = buildVipRouteTree(results);
    assert.equal(failed.children?.[0].label, 'AccessDenied: not allowed');
    assert.equal(failed.children?.[0].description, 'ask for ec2:Describe*');
    assert.equal(ok.children?.length, 1);
  });

  it('shows tag values and AWS text in every tooltip as written: no link, image or markup', () => {
    const hostile = '[x](command:workbench.action.terminal.new) ![i](http://evil/i.png) <img src=x> **b** `c` # h';
    const [vpc] = snapshot.vpcs;
    const [vip] = vpc.vips;
    const named: RegionSnapshot = {
      ...snapshot,
      instances: { 'i-a': instance('i-a', hostile), 'i-b': instance('i-b', hostile) },
      vpcs: [{ ...vpc, name: hostile, vips: [{ ...vip, routes: vip.routes.map((r) => ({ ...r, routeTableName: hostile })), diagnostics: [{ ...vip.diagnostics[0], message: hostile }] }] }],
    };
    const error: RegionResult = { region: 'us-east-1', ok: false, error: { code: hostile, message: hostile, hint: hostile } };
    const texts = inertTooltips(buildVipRouteTree([{ region: 'eu-west-1', ok: true, snapshot: named }, error]));
    assert.equal(texts.size, 5, [...texts.keys()].join(', '));
    for (const [id, text] of texts) assert.ok(text.includes(hostile), `${id}: ${text}`);
  });

  describe('a VPC whose main table carries no VIP route', () => {
    const subnet = (id: string, name: string): Subnet => ({ SubnetId: id, VpcId: 'vpc-1', AvailabilityZone: 'eu-west-1a', Tags: [{ Key: 'Name', Value: name }] });
    const table = (id: string, name: string, associations: RouteTable['Associations'], vip: boolean): RouteTable => ({
      RouteTableId: id, VpcId: 'vpc-1', Associations: associations, Tags: [{ Key: 'Name', Value: name }],
      Routes: vip ? [{ DestinationCidrBlock: '192.168.55.100/32', InstanceId: 'i-a', State: 'active' }] : [],
    });
    /** Two subnets explicitly associated with the VIP's tables, plus the given extra subnets (which use the main table). */
    const region = (extraSubnets: Subnet[]): TreeNode => {
      const snapshot = buildSnapshot({
        region: 'eu-west-1',
        vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.0.0.0/16' }],
        subnets: [subnet('subnet-a', 'app-a'), subnet('subnet-b', 'app-b'), ...extraSubnets],
        routeTables: [
          table('rtb-main', 'main', [{ Main: true }], false),
          table('rtb-a', 'private-a', [{ SubnetId: 'subnet-a' }], true),
          table('rtb-b', 'private-b', [{ SubnetId: 'subnet-b' }], true),
        ],
        instances: [{ InstanceId: 'i-a', State: { Name: 'running' }, SourceDestCheck: false, Tags: [{ Key: 'Name', Value: 'lb-a' }] }],
        networkInterfaces: [],
      });
      return buildVipRouteTree([{ region: 'eu-west-1', ok: true, snapshot }])[0];
    };
    const vipRow = (r: TreeNode) => r.children?.[0].children?.[0];

    it('does not flag or count the main table when every subnet is associated with another table', () => {
      const r = region([]);
      assert.equal(r.description, '1 VIP');
      assert.deepEqual(vipRow(r)?.children?.map((c) => c.label), ['private-a', 'private-b']);
      assert.equal(vipRow(r)?.icon?.id, 'pass');
    });

    it('flags the main table once a subnet uses it implicitly, naming it and that subnet by their Name tags', () => {
      const r = region([subnet('subnet-c', 'app-c')]);
      assert.equal(r.description, '1 VIP · 1 with problems');
      const [coverage] = vipRow(r)?.children ?? [];
      assert.equal(coverage.label, 'Partial coverage');
      assert.equal(coverage.description, 'The VIP route is missing from the main table main (rtb-main), used by app-c (subnet-c): that subnet cannot reach the VIP.');
    });
  });
});
