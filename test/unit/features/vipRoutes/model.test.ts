import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RegionResult, RegionSnapshot } from '../../../../src/core/vip/model';
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
});
