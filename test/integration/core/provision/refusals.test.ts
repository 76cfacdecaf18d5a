import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CreateKeyPairCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { latestAl2023Ami } from '../../../../src/core/provision/ami';
import { ProvisionError } from '../../../../src/core/provision/changeSet';
import { discardPlan, planPair } from '../../../../src/core/provision/deploy';
import type { PairSpec } from '../../../../src/core/provision/inputs';
import type { AwsSession } from '../../../../src/core/session/session';
import { createSubnet, createVpc, findMainRouteTable, giveNatWay } from '../../../support/ec2Seed';
import { startFaultProxy } from '../../../support/faultProxy';
import { motoPool } from '../../../support/moto';
import { useMoto } from '../../../support/useMoto';

const REGION = 'eu-west-1';

describe('listeners that cannot work and SSH from anywhere are refused before anything is created (moto)', () => {
  const moto = useMoto({ reset: false });
  let session: AwsSession;
  let spec: PairSpec;

  before(async () => {
    session = motoPool().get({ region: REGION, endpointUrl: moto.url });
    const ec2 = session.client('ec2');
    const vpcId = await createVpc(ec2, '10.70.0.0/16');
    const subnetIds: [string, string] = [await createSubnet(ec2, vpcId, '10.70.1.0/24', `${REGION}a`), await createSubnet(ec2, vpcId, '10.70.2.0/24', `${REGION}b`)];
    await giveNatWay(ec2, vpcId, subnetIds[0]);
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'ops' }));
    const imageId = await latestAl2023Ami(session.client('ssm'), 'x86_64');
    spec = { name: 'refuse', vpcId, subnetIds, vip: '192.168.70.10', routeTableIds: [await findMainRouteTable(ec2, vpcId)], instanceType: 't3.small', imageId, listeners: [], clientCidr: '10.0.0.0/8', preempt: false };
  });

  const listener = (port: number) => ({ port, mode: 'tcp' as const, servers: [{ host: '10.70.9.9', port: 9000 }] });

  it('port 22 (sshd), the stats port and a port listed twice: refused, no change set', async () => {
    const proxy = await startFaultProxy({ target: moto.url });
    try {
      const counted = motoPool().get({ region: REGION, endpointUrl: proxy.url });
      const cases: Array<[PairSpec['listeners'], RegExp]> = [
        [[listener(22)], /^Port 22 is sshd's on the nodes: haproxy could not bind it/],
        [[listener(8404)], /^Port 8404 is haproxy's health and stats port on the nodes/],
        [[listener(443), listener(443)], /^Port 443 has two listeners/],
      ];
      for (const [listeners, message] of cases) {
        await assert.rejects(planPair(counted, { ...spec, listeners }), (error: unknown) => {
          assert.ok(error instanceof ProvisionError, String(error));
          assert.deepEqual(error.problems.map((p) => p.field), ['listeners']);
          assert.match(error.message, message);
          return true;
        });
      }
      assert.equal(proxy.mutatingCount(), 0, JSON.stringify(proxy.counts()));
    } finally {
      await proxy.stop();
    }
  });

  it('SSH from 0.0.0.0/0 needs the CIDR typed again; confirmed, the security group opens 22 to it', async () => {
    const open = { ...spec, keyName: 'ops', sshCidr: '0.0.0.0/0' };
    await assert.rejects(planPair(session, open), /SSH from 0\.0\.0\.0\/0 opens port 22 of both nodes to the whole internet/);
    await assert.rejects(planPair(session, { ...open, confirmedSshCidr: '0.0.0.0/00' }), /opens port 22/);
    const plan = await planPair(session, { ...open, confirmedSshCidr: '0.0.0.0/0' });
    const sg = JSON.parse(JSON.stringify(plan.template.Resources)).NodeSecurityGroup.Properties.SecurityGroupIngress as Array<{ FromPort: number; CidrIp: string }>;
    assert.ok(sg.some((rule) => rule.FromPort === 22 && rule.CidrIp === '0.0.0.0/0'));
    await discardPlan(session, plan);
    assert.equal((await session.client('ec2').send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: ['*refuse*'] }] }))).SecurityGroups?.length ?? 0, 0);
  });
});
