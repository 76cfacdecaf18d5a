import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import type { RegisteredView } from '../../../src/plumbing/views';
import { seedVipWorld, type VipWorld } from '../../support/seedVipWorld';
import { FakeHost } from '../fakeHost';
import { startWorld, type World } from '../world';

describe('Go to… (real extension host, moto)', () => {
  let world: World;
  let seeded: VipWorld;

  const entry = (id: string) => world.api.views.all().find((v) => v.id === id) as RegisteredView;
  const goTo = async (typed: string, pick: string | undefined) => {
    const host = new FakeHost([[typed, ...(pick === undefined ? [] : [pick])]]);
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.goTo');
    assert.deepEqual(host.unexpected, []);
    return host.shown[0].options;
  };
  const selected = async (view: vscode.TreeView<TreeNode>) => {
    for (const deadline = Date.now() + 5000; view.selection.length === 0; await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) assert.fail('nothing was selected');
    }
    return view.selection[0];
  };

  before(async () => {
    world = await startWorld();
    seeded = await seedVipWorld(world.pool.get({ region: world.region, endpointUrl: world.moto.url }));
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
  });
  after(async () => {
    world.api.setHost((await import('../../../src/plumbing/host')).windowHost);
    await world?.dispose();
  });

  it('offers every row that names an instance id, across views, and reveals the one picked in its own view', async () => {
    const name = 'vip-world-haproxy-b';
    const offered = await goTo(seeded.instances.b, name);
    assert.ok(offered.includes(name), `the pair node is offered: ${offered}`);
    // The routes to it are offered too (under their table names).
    assert.ok(offered.includes('vip-world-rt-3'), `${offered}`);
    const pairs = entry('awsops.pairs');
    const row = await selected(pairs.view);
    assert.equal(row.label, name);
    assert.equal((row.data as { instanceId?: string }).instanceId, seeded.instances.b);
    assert.ok(pairs.view.visible);
  });

  it('finds the route table an ARN names and selects its row under the VIP', async () => {
    const table = seeded.routeTableIds[0];
    const offered = await goTo(`arn:aws:ec2:${world.region}:123456789012:route-table/${table}`, 'vip-world-rt-1');
    assert.ok(offered.length > 0 && offered.every((label) => label === 'vip-world-rt-1'), `${offered}`);
    const row = await selected(entry('awsops.vipRoutes').view);
    assert.ok(row.id.endsWith(`/${table}`), row.id);
  });

  it('finds a VIP by its address, its own row first, and offers nothing for an unknown id', async () => {
    assert.equal((await goTo('192.168.55.102', undefined))[0], '192.168.55.102');
    assert.deepEqual(await goTo('i-0123456789abcdef0', undefined), []);
  });
});
