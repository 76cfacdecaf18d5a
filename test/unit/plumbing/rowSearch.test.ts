import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { searchRows, type SearchRow } from '../../../src/plumbing/rowSearch';
import type { TreeNode } from '../../../src/plumbing/treeNode';

const row = (viewId: string, node: TreeNode, path: string[] = []): SearchRow => ({ viewId, viewTitle: viewId, node, path });
const ROWS: SearchRow[] = [
  row('vip', { id: 'r', label: 'eu-west-1', description: '3 VIPs' }),
  row('vip', { id: 'v', label: 'prod', description: 'vpc-0a1b2c3d · 10.0.0.0/16', console: { region: 'eu-west-1', resource: { kind: 'vpc', id: 'vpc-0a1b2c3d' } } }, ['eu-west-1']),
  row('vip', { id: 'x', label: '192.168.55.100', description: '→ web-a · 3 tables', contextValue: 'vip', data: { region: 'eu-west-1', vpcId: 'vpc-0a1b2c3d', cidr: '192.168.55.100/32' } }, ['eu-west-1', 'prod']),
  row('vip', {
    id: 't',
    label: 'private-a',
    description: 'eu-west-1a → web-a · active',
    console: [
      { region: 'eu-west-1', resource: { kind: 'route-table', id: 'rtb-0123456789abcdef0' } },
      { region: 'eu-west-1', resource: { kind: 'instance', id: 'i-0aaaaaaaaaaaaaaa1' } },
    ],
  }, ['eu-west-1', 'prod', '192.168.55.100']),
  row('pairs', { id: 'n', label: 'web-a', description: 'MASTER · running · eu-west-1a · 10.0.1.5', data: { region: 'eu-west-1', pairName: 'web', instanceId: 'i-0aaaaaaaaaaaaaaa1' } }, ['web']),
  row('jump', { id: 'j', label: 'web-admin', description: 'stopped · t3.micro' }),
  // A readiness item only mentions the table in its reason: it is not the table.
  row('pairs', { id: 'q', label: 'Instance roles allow ec2:ReplaceRoute', description: 'fails: web-b lacks rtb-0123456789abcdef0' }, ['web', 'Readiness']),
];
const found = (query: string) => searchRows(ROWS, query).map((m) => `${m.viewId}:${m.node.label}`);

describe('searchRows', () => {
  it('finds a Name across views: the row of that name, rows naming it, then longer names', () => {
    assert.deepEqual(found('web-a'), ['pairs:web-a', 'vip:192.168.55.100', 'vip:private-a', 'jump:web-admin']);
  });

  it('finds an instance id in every row that names it: the pair node and the route to it', () => {
    assert.deepEqual(found('i-0aaaaaaaaaaaaaaa1'), ['vip:private-a', 'pairs:web-a']);
  });

  it('finds a VIP by address or CIDR, and a node by its private IP', () => {
    assert.deepEqual(found('192.168.55.100'), ['vip:192.168.55.100']);
    assert.deepEqual(found('192.168.55.100/32'), ['vip:192.168.55.100']);
    assert.deepEqual(found('10.0.1.5'), ['pairs:web-a']);
  });

  it('finds the resource an ARN names, and nothing for an ARN of something else', () => {
    assert.deepEqual(found('arn:aws:ec2:eu-west-1:123456789012:route-table/rtb-0123456789abcdef0'), ['vip:private-a']);
    assert.deepEqual(found('arn:aws:ec2:eu-west-1:123456789012:instance/i-0ffffffffffffffff'), []);
  });

  it('matches case-insensitively and on prefixes, and lists everything for no text', () => {
    assert.deepEqual(found('RTB-0123'), ['vip:private-a', 'pairs:Instance roles allow ec2:ReplaceRoute']);
    assert.equal(found('').length, ROWS.length);
  });
});
