import assert from 'node:assert/strict';
import { ReplaceRouteCommand, type EC2Client } from '@aws-sdk/client-ec2';
import * as vscode from 'vscode';
import type { RegisteredView } from '../../../src/plumbing/views';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { seedVipWorld, type VipWorld } from '../../support/seedVipWorld';
import { FakeHost } from '../fakeHost';
import { startWorld, type World } from '../world';

const INTERVAL_S = 5;
const poll = vscode.workspace.getConfiguration('awsops.poll');

/** Changes a VIP's route in every table straight in moto, behind the product's back (as keepalived would). */
async function moveVip(ec2: EC2Client, seeded: VipWorld, cidr: string, instanceId: string): Promise<void> {
  for (const RouteTableId of seeded.routeTableIds) await ec2.send(new ReplaceRouteCommand({ RouteTableId, DestinationCidrBlock: cidr, InstanceId: instanceId }));
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Polling: views that stay true (real extension host, moto)', () => {
  let world: World;
  let seeded: VipWorld;
  let ec2: EC2Client;
  let vipRoutes: RegisteredView;

  const vipRow = (cidr: string): TreeNode | undefined => [...vipRoutes.provider.rows()].find(({ node }) => node.contextValue === 'vip' && (node.data as { cidr?: string }).cidr === cidr)?.node;

  before(async () => {
    world = await startWorld();
    seeded = await seedVipWorld(world.pool.get({ region: world.region, endpointUrl: world.moto.url }));
    ec2 = world.pool.get({ region: world.region, endpointUrl: world.moto.url }).client('ec2');
    world.api.setHost(new FakeHost());
    await poll.update('interval', INTERVAL_S, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
    vipRoutes = world.api.views.all().find((v) => v.id === 'awsops.vipRoutes') as RegisteredView;
  });
  after(async () => {
    await poll.update('interval', undefined, vscode.ConfigurationTarget.Global);
    world.api.setHost((await import('../../../src/plumbing/host')).windowHost);
    await world?.dispose();
  });

  it('shows a route changed in AWS within the interval, refreshing only that VIP\'s rows: expansion and selection stay', async () => {
    const { view, provider } = vipRoutes;
    const healthy = vipRow(seeded.vips.healthy) as TreeNode;
    // A healthy VIP starts collapsed: expand and select it, as a user would before running a command on it.
    await view.reveal(healthy, { expand: true, select: true });
    const events: Array<TreeNode | TreeNode[] | undefined> = [];
    const collapsed: string[] = [];
    const subscriptions = [provider.onDidChangeTreeData((e) => events.push(e)), view.onDidCollapseElement((e) => collapsed.push(e.element.id))];
    try {
      const started = Date.now();
      await moveVip(ec2, seeded, seeded.vips.healthy, seeded.instances.b);
      const moved = await waitFor('the VIP row showing haproxy-b', (INTERVAL_S + 5) * 1000, () => {
        const row = vipRow(seeded.vips.healthy);
        return row?.description?.startsWith('→ vip-world-haproxy-b') ? row : undefined;
      });
      const seconds = (Date.now() - started) / 1000;
      assert.ok(seconds <= INTERVAL_S + 3, `shown after ${seconds.toFixed(1)} s; the interval is ${INTERVAL_S} s`);
      assert.ok(events.length > 0, 'the provider announced the change');
      // Never the whole tree: only the moved VIP's own subtree.
      for (const event of events) {
        assert.ok(event !== undefined, 'a poll refreshed the whole tree');
        for (const node of [event].flat()) assert.ok(node.id.startsWith(moved.id), `refreshed ${node.id}, outside ${moved.id}`);
      }
      assert.deepEqual(collapsed, []);
      // Still selected, and what VS Code would hand a command run on it now is the new row, not the old one.
      assert.deepEqual(view.selection.map((n) => n.id), [moved.id]);
      assert.equal(view.selection[0].description, moved.description);
    } finally {
      subscriptions.forEach((s) => s.dispose());
    }
  });

  it('stops while no view is visible, and catches up at once when one is shown again', async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the views hidden', 5000, () => (world.api.views.all().every((v) => !v.view.visible) ? true : undefined));
    const events: unknown[] = [];
    const subscription = vipRoutes.provider.onDidChangeTreeData((e) => events.push(e));
    try {
      await moveVip(ec2, seeded, seeded.vips.healthy, seeded.instances.a);
      await new Promise((resolve) => setTimeout(resolve, (INTERVAL_S + 2) * 1000));
      assert.deepEqual(events, [], 'a hidden view was polled');
      assert.match(vipRow(seeded.vips.healthy)?.description ?? '', /^→ vip-world-haproxy-b/);
      const shown = Date.now();
      await vscode.commands.executeCommand('workbench.view.extension.awsops');
      await waitFor('the VIP back on haproxy-a', 4000, () => (vipRow(seeded.vips.healthy)?.description?.startsWith('→ vip-world-haproxy-a') ? true : undefined));
      assert.ok(Date.now() - shown < 4000);
    } finally {
      subscription.dispose();
    }
  });
});
