import assert from 'node:assert/strict';
import { ReplaceRouteCommand, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { seedVipWorld, WORLD_DIAGNOSTICS, WORLD_VIPS, type VipWorld } from '../../support/seedVipWorld';
import { FakeHost } from '../fakeHost';
import { startWorld, type World } from '../world';

const labels = (nodes: readonly TreeNode[] | undefined) => (nodes ?? []).map((n) => n.label);

describe('VIP Routes view (real extension host, moto)', () => {
  let world: World;
  let seeded: VipWorld;

  before(async () => {
    world = await startWorld();
    seeded = await seedVipWorld(world.pool.get({ region: world.region, endpointUrl: world.moto.url }));
  });
  after(async () => {
    world.api.setHost((await import('../../../src/plumbing/host')).windowHost);
    await world?.dispose();
  });

  const view = () => world.api.views.all().find((v) => v.id === 'awsops.vipRoutes')?.view as vscode.TreeView<TreeNode>;
  const vipRow = (cidr: string) => [...world.api.vipRoutes.rows()].find(({ node }) => node.contextValue === 'vip' && (node.data as { cidr: string }).cidr === cidr)?.node;
  /** Points the VIP at an instance in the given tables, straight in moto, as keepalived on a node would. */
  const route = async (cidr: string, instanceId: string, tables: readonly string[]) => {
    const ec2 = world.pool.get({ region: world.region, endpointUrl: world.moto.url }).client('ec2');
    for (const RouteTableId of tables) await ec2.send(new ReplaceRouteCommand({ RouteTableId, DestinationCidrBlock: cidr, InstanceId: instanceId }));
  };
  const refreshWith = async (host: FakeHost) => {
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
    return host;
  };
  const until = async (what: string, probe: () => boolean) => {
    for (const deadline = Date.now() + 5000; !probe(); await new Promise((r) => setTimeout(r, 50))) if (Date.now() > deadline) assert.fail(what);
  };

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

  it('keeps the route targets in a file of its global storage, ids only and readable by the user alone, for the next session\'s first round', async () => {
    // The log is <user data>/logs/<session>/exthost1/aws-ops.aws-ops; global storage is <user data>/User/globalStorage/<extension>.
    const userData = path.resolve(world.api.logUri.fsPath, '..', '..', '..', '..');
    const file = path.join(userData, 'User', 'globalStorage', 'aws-ops.aws-ops', 'target-hints.json');
    await until(`${file} written`, () => fs.existsSync(file));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const hint = stored[JSON.stringify(['moto', null, world.region, world.moto.url])];
    // The pair nodes come with the pair-tag listing anyway: the stopped old node and the ENIs are what is kept.
    assert.deepEqual(hint, { instanceIds: [seeded.instances.stopped], eniIds: [seeded.enis.aSecondary, seeded.enis.bPrimary].sort() });
    assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /testing|secret|token/i);
  });

  it('flags the split-brain and stopped-target VIPs with their diagnostics', async () => {
    const [region] = world.api.vipRoutes.getRoots();
    const vpc = region.children?.find((c) => c.description?.includes(seeded.vpcId));
    const vip = (cidr: string) => vpc?.children?.find((c) => c.label === cidr.replace('/32', ''));
    assert.deepEqual(labels(vip(WORLD_VIPS.splitBrain)?.children).filter((l) => l === 'Split brain'), ['Split brain']);
    assert.ok(labels(vip(WORLD_VIPS.stopped)?.children).includes('Blackhole'));
    assert.equal(vip(WORLD_VIPS.healthy)?.icon?.id, 'pass');
  });

  it('counts the VIPs with problems in the view\'s badge, which the AWS Ops container shows', async () => {
    const problems = Object.values(WORLD_DIAGNOSTICS).filter((kinds) => kinds.length > 0).length;
    assert.deepEqual(view().badge, { value: problems, tooltip: `${problems} VIPs with problems` });
  });

  it('notices a VIP that moved behind its back, saying from where to where and when, and reveals it on "Reveal"', async () => {
    await route(seeded.vips.healthy, seeded.instances.b, seeded.routeTableIds);
    const host = await refreshWith(new FakeHost([], ['Reveal']));
    assert.deepEqual(
      host.shown.map((s) => [s.kind, s.text.replace(/\d\d:\d\d:\d\d/, 'HH:MM:SS'), s.options.join()]),
      [['warn', '192.168.55.100 moved from vip-world-haproxy-a to vip-world-haproxy-b (seen HH:MM:SS)', 'Reveal,Show Failover Plan']],
    );
    const row = vipRow(seeded.vips.healthy) as TreeNode;
    await until('the moved VIP selected', () => view().selection[0]?.id === row.id);
  });

  it('notices a split brain that stays, and shows its failover plan on "Show Failover Plan"', async () => {
    await route(seeded.vips.healthy, seeded.instances.a, seeded.routeTableIds.slice(0, 1));
    // A failover caught halfway looks split too: the first discovery that sees it says nothing yet.
    assert.deepEqual((await refreshWith(new FakeHost())).messages(), []);
    // The tables still disagree at the next one; the plan then first asks which node to move the VIP to.
    const host = await refreshWith(new FakeHost(['vip-world-haproxy-b', undefined], ['Show Failover Plan']));
    assert.match(host.messages('warn')[0] ?? '', /^Split brain on 192\.168\.55\.100: route tables disagree \(1 → vip-world-haproxy-a, 2 → vip-world-haproxy-b\) \(seen \d\d:\d\d:\d\d\)$/);
    await until('the failover plan shown', () => host.shown.some((s) => s.kind === 'confirm'));
    assert.match(host.shown.find((s) => s.kind === 'confirm')?.text ?? '', /^Failover plan of VIP 192\.168\.55\.100 of pair web to vip-world-haproxy-b /);
    assert.deepEqual(host.unexpected, []);
  });

  it('stays silent when awsops.notifications.changes is off, and the badge follows', async () => {
    const notifications = vscode.workspace.getConfiguration('awsops.notifications');
    await notifications.update('changes', false, vscode.ConfigurationTarget.Global);
    try {
      // The plan shown last ran as a mutation (it offers "Fail Over"): this discovery is the new baseline.
      await refreshWith(new FakeHost());
      await route(seeded.vips.healthy, seeded.instances.a, seeded.routeTableIds);
      const host = await refreshWith(new FakeHost());
      assert.deepEqual(host.messages(), []);
      const problems = Object.values(WORLD_DIAGNOSTICS).filter((kinds) => kinds.length > 0).length;
      assert.equal(view().badge?.value, problems);
    } finally {
      await notifications.update('changes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('tells a failover caught halfway by a discovery as the move it was, not as a split brain', async () => {
    await route(seeded.vips.healthy, seeded.instances.b, seeded.routeTableIds.slice(0, 1));
    assert.deepEqual((await refreshWith(new FakeHost())).messages(), []);
    await route(seeded.vips.healthy, seeded.instances.b, seeded.routeTableIds.slice(1));
    const host = await refreshWith(new FakeHost());
    assert.deepEqual(host.messages().map((m) => m.replace(/\d\d:\d\d:\d\d/, 'HH:MM:SS')), ['192.168.55.100 moved from vip-world-haproxy-a to vip-world-haproxy-b (seen HH:MM:SS)']);
  });

  it('sums up many changes at once in one notice: a node every VIP pointed at stopped', async () => {
    const ec2 = world.pool.get({ region: world.region, endpointUrl: world.moto.url }).client('ec2');
    await ec2.send(new StopInstancesCommand({ InstanceIds: [seeded.instances.b] }));
    try {
      const host = await refreshWith(new FakeHost());
      assert.deepEqual(host.shown.map((s) => [s.kind, s.options.join()]), [['warn', 'Show Log']]);
      const [, count] = /^(\d+) changes in AWS, e\.g\. Blackhole on 192\.168\.55\.\d+: .*; the AWS Ops log lists them all\.$/.exec(host.messages('warn')[0]) ?? [];
      assert.ok(Number(count) > 3, host.messages('warn')[0]);
    } finally {
      await ec2.send(new StartInstancesCommand({ InstanceIds: [seeded.instances.b] }));
      await refreshWith(new FakeHost());
    }
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
