import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { latestAl2023Ami } from '../../../../src/core/provision/ami';
import { MAX_TEMPLATE_BODY } from '../../../../src/core/provision/changeSet';
import { executePlan, planPair } from '../../../../src/core/provision/deploy';
import { createRouteTable, createSubnet, createVpc, giveNatWay } from '../../../support/ec2Seed';
import { motoPool } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';

const REGION = 'eu-west-1';
const VIP = '192.168.80.10';

describe('a pair serving 300 route tables (moto)', () => {
  const moto = useMoto();

  it('fits CloudFormation and IAM limits and creates; the role may move routes of the pair\'s VPC only', { timeout: 300_000 }, async () => {
    const session = motoPool().get({ region: REGION, endpointUrl: moto.url });
    const ec2 = session.client('ec2');
    const vpcId = await createVpc(ec2, '10.80.0.0/16');
    const subnetIds: [string, string] = [await createSubnet(ec2, vpcId, '10.80.1.0/24', `${REGION}a`), await createSubnet(ec2, vpcId, '10.80.2.0/24', `${REGION}b`)];
    await giveNatWay(ec2, vpcId, subnetIds[0]);
    const tables: string[] = [];
    for (let i = 0; i < 300; i++) tables.push(await createRouteTable(ec2, vpcId));
    const spec = {
      name: 'many', vpcId, subnetIds, vip: VIP, routeTableIds: tables, instanceType: 't3.small',
      imageId: await latestAl2023Ami(session.client('ssm'), 'x86_64'), listeners: [], clientCidr: '10.0.0.0/8', preempt: false,
    };
    const plan = await planPair(session, spec);
    assert.ok(Buffer.byteLength(JSON.stringify(plan.template)) <= MAX_TEMPLATE_BODY);
    const result = await executePlan(session, plan, { pollMs: 100, timeoutMs: 240_000 });
    assert.equal(result.status, 'CREATE_COMPLETE', JSON.stringify(result.ok ? '' : result.failure));

    const resources = (await session.client('cloudformation').send(new ListStackResourcesCommand({ StackName: plan.stackId }))).StackResourceSummaries ?? [];
    // Too many for route resources: node A creates them on becoming MASTER, and signals ready only once they point at it
    // (the notify script's CreateRoute fallback is proven against moto in notifyScript.test.ts, the signal in test/ha).
    assert.deepEqual(resources.filter((r) => r.ResourceType === 'AWS::EC2::Route'), []);
    assert.ok(resources.some((r) => r.LogicalResourceId === 'NodeA' && r.ResourceStatus === 'CREATE_COMPLETE'));
    const role = resources.find((r) => r.LogicalResourceId === 'NodeRole')?.PhysicalResourceId as string;
    const policy = await session.client('iam').send(new GetRolePolicyCommand({ RoleName: role, PolicyName: 'vip-routes' }));
    const document = decodeURIComponent(policy.PolicyDocument ?? '');
    assert.ok(document.length < 10_240, `inline role policy of ${document.length} characters`);
    assert.match(document, new RegExp(`['"]ec2:Vpc['"]:\\s*['"]arn:aws:ec2:${REGION}:\\d+:vpc/${vpcId}['"]`));
  });
});
