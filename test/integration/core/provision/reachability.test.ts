import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AttachInternetGatewayCommand, CreateInternetGatewayCommand, CreateRouteCommand, DescribeVpcEndpointsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { latestAl2023Ami } from '../../../../src/core/provision/ami';
import { ProvisionError } from '../../../../src/core/provision/changeSet';
import { executePlan, planPair } from '../../../../src/core/provision/deploy';
import type { PairSpec } from '../../../../src/core/provision/inputs';
import { checkReachability, NODE_API_SERVICES } from '../../../../src/core/provision/reachability';
import type { AwsSession } from '../../../../src/core/session/session';
import { createSubnet, createVpc, findMainRouteTable, giveNatWay } from '../../../support/ec2Seed';
import { motoPool } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';

const REGION = 'eu-west-1';

describe('preflight: a way from the nodes\' subnets to the AWS APIs (moto)', () => {
  const moto = useMoto();
  let session: AwsSession;
  let ec2: EC2Client;
  let imageId: string;

  before(async () => {
    session = motoPool().get({ region: REGION, endpointUrl: moto.url });
    ec2 = session.client('ec2');
    imageId = await latestAl2023Ami(session.client('ssm'), 'x86_64');
  });

  async function world(cidr: string): Promise<PairSpec> {
    const vpcId = await createVpc(ec2, `10.${cidr}.0.0/16`);
    const subnetIds: [string, string] = [
      await createSubnet(ec2, vpcId, `10.${cidr}.1.0/24`, `${REGION}a`),
      await createSubnet(ec2, vpcId, `10.${cidr}.2.0/24`, `${REGION}b`),
    ];
    const main = await findMainRouteTable(ec2, vpcId);
    return { name: `p${cidr}`, vpcId, subnetIds, vip: '192.168.60.10', routeTableIds: [main], instanceType: 't3.small', imageId, listeners: [], clientCidr: '10.0.0.0/8', preempt: false };
  }

  it('no default route: refused with what is missing; with the offered endpoints the stack creates them and the VPC then passes', async () => {
    const spec = await world('61');
    await assert.rejects(planPair(session, spec), (error: unknown) => {
      assert.ok(error instanceof ProvisionError, String(error));
      assert.match(error.message, new RegExp(`Subnet ${spec.subnetIds[0]} cannot reach the EC2 API: it has no default route \\(no NAT gateway\\), and the VPC has no interface endpoint for ec2, cloudformation, sts, ssm, ssmmessages, ec2messages\\.`));
      assert.match(error.message, /let AWS Ops add interface endpoints for ec2, cloudformation, sts, ssm, ssmmessages, ec2messages to the stack/);
      return true;
    });
    const way = await checkReachability(ec2, spec, REGION);
    assert.deepEqual(way.missingEndpoints, [...NODE_API_SERVICES]);

    const withEndpoints = { ...spec, endpointServices: way.missingEndpoints };
    const plan = await planPair(session, withEndpoints);
    const result = await executePlan(session, plan, { pollMs: 50 });
    assert.equal(result.status, 'CREATE_COMPLETE');
    const endpoints = (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [spec.vpcId] }] }))).VpcEndpoints ?? [];
    assert.deepEqual(endpoints.map((e) => e.ServiceName).sort(), NODE_API_SERVICES.map((s) => `com.amazonaws.${REGION}.${s}`).sort());
    assert.ok(endpoints.every((e) => e.VpcEndpointType === 'Interface' && e.PrivateDnsEnabled && [...(e.SubnetIds ?? [])].sort().join() === [...spec.subnetIds].sort().join()));
    assert.deepEqual(await checkReachability(ec2, spec, REGION), { ok: true, problems: [], missingEndpoints: [] });
  });

  it('an internet gateway alone is no way (the nodes get no public IP); a NAT gateway is', async () => {
    const spec = await world('62');
    const igw = (await ec2.send(new CreateInternetGatewayCommand({}))).InternetGateway?.InternetGatewayId as string;
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: spec.vpcId }));
    const main = spec.routeTableIds[0];
    await ec2.send(new CreateRouteCommand({ RouteTableId: main, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    const way = await checkReachability(ec2, spec, REGION);
    assert.equal(way.ok, false);
    assert.match(way.problems[0], new RegExp(`its default route goes to internet gateway ${igw}, but the nodes' network interfaces get no public IP`));

    const nat = await world('63');
    await giveNatWay(ec2, nat.vpcId, nat.subnetIds[0]);
    assert.deepEqual(await checkReachability(ec2, nat, REGION), { ok: true, problems: [], missingEndpoints: [] });
  });
});
