import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedSubtrees } from '../../../src/plumbing/treeDiff';
import type { TreeNode } from '../../../src/plumbing/treeNode';

/** region → vpc → two VIPs → one route each: the shape of the VIP Routes view. */
function tree(edit: (vips: TreeNode[]) => unknown = () => undefined): TreeNode[] {
  const route = (vip: string, target: string): TreeNode => ({ id: `r/vpc/${vip}/rtb-1`, label: 'rtb-1', description: `→ ${target}` });
  const vips: TreeNode[] = [
    { id: 'r/vpc/10.9.0.1', label: '10.9.0.1', description: '→ web-a', expanded: true, children: [route('10.9.0.1', 'web-a')] },
    { id: 'r/vpc/10.9.0.2', label: '10.9.0.2', description: '→ web-b', children: [route('10.9.0.2', 'web-b')] },
  ];
  edit(vips);
  return [{ id: 'r', label: 'eu-west-1', expanded: true, children: [{ id: 'r/vpc', label: 'prod', children: vips }] }];
}

describe('changedSubtrees', () => {
  it('finds nothing to refresh in an identical rebuild', () => {
    assert.deepEqual(changedSubtrees(tree(), tree()), { all: false, ids: [] });
  });

  it('names only the row that changed, not its ancestors or siblings', () => {
    const after = tree((vips) => ((vips[1].children as TreeNode[])[0].description = '→ web-a'));
    assert.deepEqual(changedSubtrees(tree(), after), { all: false, ids: ['r/vpc/10.9.0.2/rtb-1'] });
  });

  it('names the topmost changed row only: its subtree is fetched again anyway', () => {
    const after = tree((vips) => {
      vips[0].description = '→ web-b';
      (vips[0].children as TreeNode[])[0].description = '→ web-b';
    });
    assert.deepEqual(changedSubtrees(tree(), after), { all: false, ids: ['r/vpc/10.9.0.1'] });
  });

  it('refreshes the parent whose children were added, removed or reordered', () => {
    assert.deepEqual(changedSubtrees(tree(), tree((vips) => vips.pop())), { all: false, ids: ['r/vpc'] });
    assert.deepEqual(changedSubtrees(tree(), tree((vips) => vips.reverse())), { all: false, ids: ['r/vpc'] });
  });

  it('counts data and icons as changes, a different default expansion not', () => {
    const ids = (edit: (vips: TreeNode[]) => unknown) => changedSubtrees(tree(), tree(edit));
    assert.deepEqual(ids((vips) => (vips[0].data = { cidr: '10.9.0.1/32' })), { all: false, ids: ['r/vpc/10.9.0.1'] });
    assert.deepEqual(ids((vips) => (vips[1].icon = { id: 'error' })), { all: false, ids: ['r/vpc/10.9.0.2'] });
    assert.deepEqual(ids((vips) => (vips[0].expanded = false)), { all: false, ids: [] });
  });

  it('refreshes everything when the top rows changed', () => {
    assert.deepEqual(changedSubtrees([], tree()), { all: true });
    assert.deepEqual(changedSubtrees(tree(), [...tree(), { id: 'r2', label: 'us-east-1' }]), { all: true });
  });
});
