import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssociateAddressCommand, DisassociateAddressCommand, DescribeAddressesCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { buildPairs } from '../../../../src/core/pairs/pairs';
import { publicVipRows } from '../../../../src/core/pairs/publicVips';
import { discoverRegion } from '../../../../src/core/vip/discovery';
import { AMI, seedPairWorld } from '../../../support/pairWorld';
import { allocateElasticIp, makeNodeSubnetsPublic } from '../../../support/publicPair';
import { useProxiedMoto } from '../../../support/useMoto';

const TAG = 'awsops:pair';

describe('public VIPs (Elastic IPs) of a pair, discovered on moto', () => {
  const aws = useProxiedMoto();
  const discover = () => discoverRegion(aws.session, { pairTagKey: TAG });
  const pairNamed = async (name: string) => buildPairs(await discover(), TAG, {}).find((p) => p.name === name);
  const flags = (pair: Awaited<ReturnType<typeof pairNamed>>) => pair?.flags.map((f) => f.kind).sort();

  it('shows an Elastic IP on the MASTER beside its route VIP, held by that node, with no problem in public subnets', async () => {
    const world = await seedPairWorld(aws.ec2, { tables: 2, kind: 'instance', name: 'pub-ok' });
    await makeNodeSubnetsPublic(aws.ec2, world.vpcId);
    const eip = await allocateElasticIp(aws.ec2, { Name: 'pub-ok-vip' }, world.nodeA);
    const pair = await pairNamed('pub-ok');
    assert.deepEqual(pair?.publicVips.map((v) => [v.address.publicIp, v.address.allocationId, v.holderInstanceId]), [[eip.publicIp, eip.allocationId, world.nodeA]]);
    assert.ok(pair?.publicVips[0].address.privateIp, 'the private IP holding it is known');
    assert.equal(pair?.masterInstanceId, world.nodeA);
    assert.deepEqual(flags(pair), []);
    // The VIP Routes view lists it in the pair's VPC.
    const rows = publicVipRows(await discover(), TAG).filter((r) => r.pairName === 'pub-ok');
    assert.deepEqual(rows.map((r) => [r.vpcId, r.address.publicIp, r.holderLabel, r.problems]), [[world.vpcId, eip.publicIp, 'pub-ok-a', []]]);
  });

  it('flags an Elastic IP on the peer while the routes point at the MASTER, and nodes in subnets without an internet gateway', async () => {
    const world = await seedPairWorld(aws.ec2, { tables: 2, kind: 'eni', name: 'pub-split' });
    await allocateElasticIp(aws.ec2, {}, world.nodeB);
    const pair = await pairNamed('pub-split');
    assert.equal(pair?.masterInstanceId, undefined);
    assert.deepEqual(flags(pair), ['eip-disagrees', 'subnet-not-public', 'subnet-not-public']);
    assert.match(pair?.flags.find((f) => f.kind === 'eip-disagrees')?.message ?? '', new RegExp(`on ${world.nodeB} while the VIP routes point at ${world.nodeA}`));
  });

  it('keeps an Elastic IP tagged for the pair when it is unassociated or on a stranger, and says so', async () => {
    const world = await seedPairWorld(aws.ec2, { tables: 1, kind: 'instance', name: 'pub-lost' });
    await makeNodeSubnetsPublic(aws.ec2, world.vpcId);
    const eip = await allocateElasticIp(aws.ec2, { [TAG]: 'pub-lost' }, world.nodeA);
    const association = (await aws.ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.allocationId] }))).Addresses?.[0]?.AssociationId;
    await aws.ec2.send(new DisassociateAddressCommand({ AssociationId: association }));
    assert.deepEqual(flags(await pairNamed('pub-lost')), ['eip-unassociated']);

    const stranger = (await aws.ec2.send(new RunInstancesCommand({ ImageId: AMI, MinCount: 1, MaxCount: 1 }))).Instances?.[0]?.InstanceId as string;
    await aws.ec2.send(new AssociateAddressCommand({ AllocationId: eip.allocationId, InstanceId: stranger }));
    const pair = await pairNamed('pub-lost');
    assert.deepEqual(flags(pair), ['eip-foreign']);
    assert.equal(pair?.publicVips[0].holderInstanceId, undefined);
    assert.match(pair?.flags[0].message ?? '', new RegExp(`associated with neither node \\(${stranger}\\)`));
  });
});
