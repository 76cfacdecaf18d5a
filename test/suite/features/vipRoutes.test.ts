import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { seedVipWorld, WORLD_VIPS, type VipWorld } from '../../support/seedVipWorld';
import { startWorld, type World } from '../world';

const labels = (nodes: readonly TreeNode[] | undefined) => (nodes ?? []).map((n) => n.label);

describe('VIP Routes view (real extension host, moto)', () => {
  let world: World;
  let seeded: VipWorld;

  before(async () => {
    world = await startWorld();
    seeded = await seedVipWorld(world.pool.get({ region: world.region, endpointUrl: world.moto.url }));
  });
  after(async () => world?.dispose());

  it('lists every seeded VIP under its region and VPC after awsops.refresh', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
    const [region] = world.api.vipRoutes.getRoots();
    assert.equal(region.label, world.region);
    const vpc = region.children?.find((c) => c.description?.includes(seeded.vpcId));
    assert.ok(vpc, `VPC ${seeded.vpcId} missing: ${labels(region.children)}`);
    const expected = Object.values(WORLD_VIPS).map((cidr) => cidr.replace('/32', '')).sort();
    assert.deepEqual(labels(vpc.children).sort(), expected);
  });

  it('flags the split-brain and stopped-target VIPs with their diagnostics', async () => {
    const [region] = world.api.vipRoutes.getRoots();
    const vpc = region.children?.find((c) => c.description?.includes(seeded.vpcId));
    const vip = (cidr: string) => vpc?.children?.find((c) => c.label === cidr.replace('/32', ''));
    assert.deepEqual(labels(vip(WORLD_VIPS.splitBrain)?.children).filter((l) => l === 'Split brain'), ['Split brain']);
    assert.ok(labels(vip(WORLD_VIPS.stopped)?.children).includes('Blackhole'));
    assert.equal(vip(WORLD_VIPS.healthy)?.icon?.id, 'pass');
  });

  it('shows an unreachable endpoint as an error row under the region, with what to do', async () => {
    await vscode.workspace.getConfiguration('awsops').update('endpointUrl', 'http://127.0.0.1:9', vscode.ConfigurationTarget.Global);
    await world.api.refresh();
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
    const [region] = world.api.vipRoutes.getRoots();
    const error = region.children?.[0];
    assert.equal(error?.contextValue, 'error');
    assert.match(error?.description ?? '', /endpoint could not be reached/);
    await vscode.workspace.getConfiguration('awsops').update('endpointUrl', world.moto.url, vscode.ConfigurationTarget.Global);
  });
});
