import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateStackCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { CreateKeyPairCommand, CreateTagsCommand, CreateVpcCommand } from '@aws-sdk/client-ec2';
import { listKeyPairNames, listPairStacks, listVpcs } from '../../../../src/core/provision/lookups';
import type { AwsSession } from '../../../../src/core/session/session';
import { motoPool } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';

const EMPTY_TEMPLATE = JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });

describe('what the provisioning wizard and teardown pick from (moto)', () => {
  const moto = useMoto({ reset: false });
  const pool = motoPool();
  let session: AwsSession;

  before(() => {
    session = pool.get({ region: 'eu-west-1', endpointUrl: moto.url });
  });
  after(() => pool.clear());

  it('lists VPCs with name and CIDRs, the default VPC last', async () => {
    const ec2 = session.client('ec2');
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc?.VpcId as string;
    await ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'Name', Value: 'prod' }] }));
    const vpcs = await listVpcs(ec2);
    assert.deepEqual(vpcs[0], { vpcId, name: 'prod', cidrs: ['10.40.0.0/16'], isDefault: false });
    assert.equal(vpcs.at(-1)?.isDefault, true, 'moto starts every region with a default VPC');
  });

  it('lists key pair names, sorted', async () => {
    const ec2 = session.client('ec2');
    for (const name of ['zeta', 'alpha']) await ec2.send(new CreateKeyPairCommand({ KeyName: name }));
    assert.deepEqual(await listKeyPairNames(ec2), ['alpha', 'zeta']);
  });

  it('lists the live stacks named awsops-pair-*, not other stacks nor deleted ones', async () => {
    const cfn = session.client('cloudformation');
    for (const name of ['awsops-pair-web', 'awsops-pair-gone', 'unrelated']) await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: EMPTY_TEMPLATE }));
    await cfn.send(new DeleteStackCommand({ StackName: 'awsops-pair-gone' }));
    const stacks = await listPairStacks(cfn);
    assert.deepEqual(stacks.map((s) => [s.pairName, s.stackName, s.status]), [['web', 'awsops-pair-web', 'CREATE_COMPLETE']]);
    assert.match(stacks[0].stackId, /^arn:aws:cloudformation:eu-west-1:/);
  });
});
