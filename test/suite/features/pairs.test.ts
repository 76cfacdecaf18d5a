import assert from 'node:assert/strict';
import { StartInstancesCommand, StopInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import * as vscode from 'vscode';
import { FAIL_OVER_KEEP, FAIL_OVER_ROLLBACK, LEAVE_MISSING } from '../../../src/features/pairs/commands';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { renderedText } from '../../support/markdown';
import { seedPairWorld, vipTargets, type PairWorld } from '../../support/pairWorld';
import { FakeHost, type Answer } from '../fakeHost';
import { startWorld, type World } from '../world';

const VIP = '192.168.55.100';

describe('HAProxy Pairs view and failover (real extension host, moto)', () => {
  let world: World;
  let ec2: EC2Client;
  let pair: PairWorld;

  const useHost = (answers: Answer[] = []) => {
    const host = new FakeHost(answers);
    world.api.setHost(host);
    return host;
  };
  const refreshView = async () => {
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
  };
  const pairRow = (): TreeNode => {
    const found = world.api.pairs.getRoots().find((n) => n.label === 'web');
    assert.ok(found, `no pair "web" among ${JSON.stringify(world.api.pairs.getRoots().map((n) => n.label))}`);
    return found;
  };
  const row = (label: string): TreeNode => {
    const found = pairRow().children?.find((n) => n.label === label);
    assert.ok(found, `no row "${label}" under the pair: ${JSON.stringify(pairRow().children?.map((n) => n.label))}`);
    return found;
  };
  const roles = () => ['web-a', 'web-b'].map((name) => `${name}: ${row(name).description?.split(' · ')[0]}`);
  /** Every route table of the VPC → the VIP route's target, as moto holds it. */
  const targets = () => vipTargets(ec2, pair.vpcId, pair.cidr);
  const expectAllAt = async (target: string) => {
    const now = await targets();
    for (const id of pair.routeTableIds) assert.equal(now[id], target, `${id} → ${now[id]}`);
  };

  before(async () => {
    world = await startWorld('us-east-1');
    ec2 = world.pool.get({ region: world.region, endpointUrl: world.moto.url }).client('ec2');
    pair = await seedPairWorld(ec2, { tables: 3, kind: 'instance' });
  });
  after(async () => world?.dispose());

  it('shows the pair with its VIP, node A as MASTER and node B (named by no route) as BACKUP', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await refreshView();
    assert.match(pairRow().description ?? '', new RegExp(`^${VIP} · MASTER web-a · healthy`));
    assert.deepEqual(roles(), ['web-a: MASTER', 'web-b: BACKUP']);
    assert.equal(row(VIP).description, '→ web-a · 3 tables');
  });

  it('judges failover readiness under the pair and sums it up on the pair row (these nodes have no instance role)', async () => {
    const readiness = row('Readiness');
    const item = (label: RegExp) => {
      const found = readiness.children?.find((c) => label.test(c.label));
      assert.ok(found, `no ${label} in ${JSON.stringify(readiness.children?.map((c) => c.label))}`);
      return found;
    };
    assert.match(readiness.description ?? '', /^not ready \(\d ✗/);
    assert.equal(readiness.icon?.id, 'error');
    assert.match(item(/^Instance roles allow ec2:ReplaceRoute/).description ?? '', /^✗ web-\w \(i-\w+\): no instance profile.*; web-\w \(i-\w+\): no instance profile/);
    assert.match(item(/^Security groups pass VRRP/).description ?? '', /^✗ /);
    assert.equal(item(/^Peer running/).description, `✓ web-b (${pair.nodeB}) is running`);
    assert.equal(item(/^keepalived & haproxy/).description, 'unknown (run Check keepalived & haproxy)');
    assert.match(pairRow().description ?? '', / · not ready$/);
    assert.equal(pairRow().icon?.id, 'error');
  });

  it('fails over from the pair row once the plan is confirmed: every table moves and the tree shows node B as MASTER', async () => {
    const host = useHost([LEAVE_MISSING, FAIL_OVER_ROLLBACK]);
    await vscode.commands.executeCommand('awsops.failover', pairRow());
    assert.deepEqual(host.unexpected, []);
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.equal(confirm?.text, `Fail over pair web (${VIP}) to web-b (${pair.nodeB})?`);
    assert.ok(confirm?.detail?.startsWith('profile moto · account 123456789012 · region us-east-1\n\n'), confirm?.detail);
    assert.match(confirm?.detail ?? '', new RegExp(`rt-00 \\(${pair.routeTableIds[0]}\\) ${VIP}/32: web-a \\(${pair.nodeA}\\) → web-b \\(${pair.nodeB}\\)`));
    // The nodes' subnets use the main table, which lacks the VIP: asked first, in words that name it.
    const lacking = host.shown.find((s) => s.kind === 'quickPick');
    assert.equal(lacking?.text, `AWS Ops: 1 route table of ${pair.vpcId} lacks the VIP route`);
    assert.match(confirm?.detail ?? '', /serving subnets without a route for .* \(can be added\): the main table rtb-\w+, used by subnet-\w+ and subnet-\w+/);
    await expectAllAt(pair.nodeB);
    const [message] = host.messages();
    assert.match(message, /^Failover done: all 3 route\(s\) send .* to web-b \(i-\w+\) \(verified by reading every table back\)\. Where it points now: .*web-b \(i-\w+\)/);
    assert.ok(message.includes(`${VIP} → web-b (${pair.nodeB}) (3 tables)`), message);
    assert.ok(host.progress.some((p) => p.startsWith('AWS Ops: Failing over')), JSON.stringify(host.progress));
    // The command refreshed the tree itself.
    assert.deepEqual(roles(), ['web-a: BACKUP', 'web-b: MASTER']);
    assert.match(pairRow().description ?? '', /MASTER web-b/);
    // Its report says what moved: no change notice repeats it.
    assert.deepEqual(host.messages().filter((m) => / moved from /.test(m)), []);
  });

  it('refuses to fail over to a stopped peer unless overridden, and changes nothing', async () => {
    await ec2.send(new StopInstancesCommand({ InstanceIds: [pair.nodeA] }));
    await refreshView();
    assert.match(row('web-a').description ?? '', /^BACKUP · stopped/);
    const before = await targets();
    const host = useHost([undefined]);
    // From the pair's VIP row this time.
    await vscode.commands.executeCommand('awsops.failover', row(VIP));
    assert.deepEqual(host.unexpected, []);
    const [gate] = host.shown.filter((s) => s.kind === 'confirm');
    assert.match(gate.text, /preflight checks? failed for the failover of VIP 192\.168\.55\.100 of pair web to web-a/);
    assert.match(gate.detail ?? '', new RegExp(`✗ ${pair.nodeA} is stopped: it cannot forward the VIP's traffic until it runs\\. Start it first\\.`));
    assert.deepEqual(gate.options, ['Override and continue']);
    assert.deepEqual(host.messages('error').map((m) => m.split(';')[0]), [`Failover of VIP ${VIP} of pair web to web-a (${pair.nodeA}) refused`]);
    assert.match(host.messages('error')[0], /nothing was changed/);
    assert.deepEqual(await targets(), before);
    assert.deepEqual(roles(), ['web-a: BACKUP', 'web-b: MASTER']);
  });

  it('checks keepalived & haproxy through SSM and shows "unknown" where the node reports nothing', async () => {
    const host = useHost();
    await vscode.commands.executeCommand('awsops.checkPairServices', pairRow());
    assert.deepEqual(host.unexpected, []);
    // moto runs no command and returns empty output: never invented data.
    const check = row('web-b').children?.find((n) => n.label === 'keepalived & haproxy');
    assert.equal(check?.description, 'unknown');
    assert.match(renderedText(check?.tooltip ?? ''), /returned no check output/);
    assert.match(host.messages('warn')[0] ?? '', /^Pair web: .*web-b: unknown \(The node returned no check output\.\)/);
  });

  it('shows the plan from a VIP Routes row without changing anything, then fails back from it, keeping moved tables on partial failure', async () => {
    await ec2.send(new StartInstancesCommand({ InstanceIds: [pair.nodeA] }));
    await refreshView();
    const [region] = world.api.vipRoutes.getRoots();
    const vpc = region.children?.find((n) => n.id.endsWith(`/${pair.vpcId}`));
    const vipRow = vpc?.children?.find((n) => n.label === VIP);
    assert.ok(vipRow, 'the VIP Routes view lists the VIP');

    let host = useHost([undefined]);
    await vscode.commands.executeCommand('awsops.showFailoverPlan', vipRow);
    assert.deepEqual(host.unexpected, []);
    const [plan] = host.shown;
    assert.equal(plan.text, `Failover plan of VIP ${VIP} of pair web to web-a (${pair.nodeA}) (nothing was changed)`);
    assert.match(plan.detail ?? '', new RegExp(`web-b \\(${pair.nodeB}\\) → web-a \\(${pair.nodeA}\\)`));
    await expectAllAt(pair.nodeB);

    host = useHost([LEAVE_MISSING, FAIL_OVER_KEEP]);
    await vscode.commands.executeCommand('awsops.failover', vipRow);
    assert.deepEqual(host.unexpected, []);
    await expectAllAt(pair.nodeA);
    assert.match(host.messages('info')[0] ?? '', /^Failover done/);
    assert.deepEqual(roles(), ['web-a: MASTER', 'web-b: BACKUP']);
  });
});
