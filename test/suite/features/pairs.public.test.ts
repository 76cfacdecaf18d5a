import assert from 'node:assert/strict';
import { DescribeAddressesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import * as vscode from 'vscode';
import { FAIL_OVER_ROLLBACK, LEAVE_MISSING } from '../../../src/features/pairs/commands';
import type { TreeNode } from '../../../src/plumbing/treeNode';
import { seedPairWorld, type PairWorld } from '../../support/pairWorld';
import { allocateElasticIp, makeNodeSubnetsPublic } from '../../support/publicPair';
import { FakeHost } from '../fakeHost';
import { startWorld, type World } from '../world';

describe('A public pair: an Elastic IP that moves with the master (real extension host, moto)', () => {
  let world: World;
  let ec2: EC2Client;
  let pair: PairWorld;
  let eip: { allocationId: string; publicIp: string };

  const pairRow = (): TreeNode => {
    const found = world.api.pairs.getRoots().find((n) => n.label === 'edge');
    assert.ok(found, `no pair "edge" among ${JSON.stringify(world.api.pairs.getRoots().map((n) => n.label))}`);
    return found;
  };
  const row = (label: string) => pairRow().children?.find((n) => n.label === label);

  before(async () => {
    world = await startWorld('us-east-1');
    ec2 = world.pool.get({ region: world.region, endpointUrl: world.moto.url }).client('ec2');
    pair = await seedPairWorld(ec2, { tables: 2, kind: 'instance', name: 'edge' });
    await makeNodeSubnetsPublic(ec2, pair.vpcId);
    eip = await allocateElasticIp(ec2, { Name: 'edge-public' }, pair.nodeA);
    await vscode.commands.executeCommand('workbench.view.extension.awsops');
    await vscode.commands.executeCommand('awsops.refresh');
    await world.api.refresh();
  });
  after(async () => world?.dispose());

  it('shows the Elastic IP beside the route VIP, held by the MASTER, in both views', () => {
    assert.match(pairRow().description ?? '', new RegExp(`^192\\.168\\.55\\.100, ${eip.publicIp.replace(/\./g, '\\.')} · MASTER edge-a · healthy`));
    assert.match(row(eip.publicIp)?.description ?? '', new RegExp(`^Elastic IP → edge-a \\(10\\.20\\.1\\.\\d+\\) · ${eip.allocationId}$`));
    const vpc = world.api.vipRoutes.getRoots()[0].children?.find((n) => n.label === pair.vpcId);
    assert.match(vpc?.children?.find((n) => n.label === eip.publicIp)?.description ?? '', /^Elastic IP → edge-a .* · pair edge$/);
  });

  it('fails over from the pair row: the confirmation lists the Elastic IP, and it ends on node B with the routes', async () => {
    const host = new FakeHost([LEAVE_MISSING, FAIL_OVER_ROLLBACK]);
    world.api.setHost(host);
    await vscode.commands.executeCommand('awsops.failover', pairRow());
    assert.deepEqual(host.unexpected, []);
    const confirm = host.shown.find((s) => s.kind === 'confirm');
    assert.match(confirm?.detail ?? '', new RegExp(`Elastic IP ${eip.publicIp.replace(/\./g, '\\.')} \\(${eip.allocationId}\\): edge-a \\(${pair.nodeA}\\) via eni-\\w+ .*→ edge-b \\(${pair.nodeB}\\) via ${pair.eniB}`));
    const [message] = host.messages();
    assert.match(message, /^Failover done: all 2 route\(s\) and 1 Elastic IP\(s\) are on/);
    // moto leaves InstanceId empty for an association made by ENI (real EC2 fills it in): the ENI names the node.
    const address = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.allocationId] }))).Addresses?.[0];
    assert.equal(address?.NetworkInterfaceId, pair.eniB);
    assert.match(row(eip.publicIp)?.description ?? '', /^Elastic IP → edge-b /);
    assert.match(pairRow().description ?? '', /MASTER edge-b/);
  });
});
