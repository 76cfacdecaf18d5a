import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servedSubnetIds, subnetList } from '../../../../src/core/vip/coverage';

describe('coverage', () => {
  it('gives the main table the subnets no table names, and a table without associations none', () => {
    const served = servedSubnetIds(
      [
        { routeTableId: 'rtb-main', isMain: true, explicitSubnetIds: ['subnet-1'] },
        { routeTableId: 'rtb-2', isMain: false, explicitSubnetIds: ['subnet-2'] },
        { routeTableId: 'rtb-idle', isMain: false, explicitSubnetIds: [] },
      ],
      ['subnet-1', 'subnet-2', 'subnet-3'],
    );
    assert.deepEqual(Object.fromEntries(served), { 'rtb-main': ['subnet-1', 'subnet-3'], 'rtb-2': ['subnet-2'], 'rtb-idle': [] });
  });

  it('names a few subnets, by Name tag where they have one, then counts the rest', () => {
    assert.equal(subnetList([{ subnetId: 'subnet-1', name: 'app-a' }]), 'app-a (subnet-1)');
    assert.equal(subnetList([{ subnetId: 'subnet-1' }, { subnetId: 'subnet-2', name: 'app-b' }]), 'subnet-1 and app-b (subnet-2)');
    const many = Array.from({ length: 8 }, (_, i) => ({ subnetId: `subnet-${i}` }));
    assert.equal(subnetList(many), 'subnet-0, subnet-1, subnet-2, subnet-3, subnet-4 and 3 more');
  });
});
