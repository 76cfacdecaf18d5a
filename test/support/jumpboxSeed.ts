/** Seeds moto through the SDK for the jumpbox tests and the demo, and records every AWS call made. */
import { DescribeImagesCommand, RunInstancesCommand, StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { ChangeResourceRecordSetsCommand, CreateHostedZoneCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import type { CallRecord } from '../../src/core/session/callLog';
import type { AwsSession } from '../../src/core/session/session';
import { tagSpecs } from './ec2Seed';
import { motoPool, type Moto } from './moto';

export const REGION = 'eu-west-1';

export interface World {
  session: AwsSession;
  calls: CallRecord[];
  /** Operations called since the last mark, e.g. to prove that nothing was changed. */
  callsSinceMark(): string[];
  mark(): void;
}

export function world(moto: Moto, region = REGION): World {
  const calls: CallRecord[] = [];
  const pool = motoPool((record) => calls.push(record));
  let marked = 0;
  return {
    session: pool.get({ region, endpointUrl: moto.url }),
    calls,
    mark: () => (marked = calls.length),
    callsSinceMark: () => calls.slice(marked).map((c) => c.operation),
  };
}

export type SeedState = 'running' | 'stopped' | 'terminated';

export async function launch(session: AwsSession, tags: Record<string, string>, state: SeedState = 'running'): Promise<string> {
  const ec2 = session.client('ec2');
  const output = await ec2.send(
    new RunInstancesCommand({
      ImageId: await anImage(session),
      InstanceType: 't2.medium',
      MinCount: 1,
      MaxCount: 1,
      // Explicit, so the public IP does not depend on moto's default-subnet settings.
      NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }],
      TagSpecifications: tagSpecs('instance', tags),
    }),
  );
  const instanceId = output.Instances?.[0]?.InstanceId ?? '';
  if (state === 'stopped') await ec2.send(new StopInstancesCommand({ InstanceIds: [instanceId] }));
  if (state === 'terminated') await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instanceId] }));
  return instanceId;
}

let imageId: string | undefined;

/** moto's built-in AMIs survive a reset, so one lookup per test file is enough. */
async function anImage(session: AwsSession): Promise<string | undefined> {
  imageId ??= (await session.client('ec2').send(new DescribeImagesCommand({ Owners: ['amazon'], MaxResults: 5 }))).Images?.[0]?.ImageId;
  return imageId;
}

export async function createZone(session: AwsSession, name: string, privateVpcId?: string): Promise<string> {
  const output = await session.client('route53').send(
    new CreateHostedZoneCommand({
      Name: name,
      CallerReference: `${name}-${Date.now()}-${Math.random()}`,
      HostedZoneConfig: { PrivateZone: privateVpcId !== undefined },
      VPC: privateVpcId ? { VPCId: privateVpcId, VPCRegion: REGION } : undefined,
    }),
  );
  return (output.HostedZone?.Id ?? '').replace('/hostedzone/', '');
}

export async function putARecord(session: AwsSession, zoneId: string, name: string, ip: string): Promise<void> {
  await session.client('route53').send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: name, Type: 'A', TTL: 300, ResourceRecords: [{ Value: ip }] } }] },
    }),
  );
}

/** An A record AWS Ops owns for `instanceId`: the A and its ownership TXT, as the product writes them. */
export async function putOwnedRecord(session: AwsSession, zoneId: string, name: string, ip: string, instanceId: string): Promise<void> {
  await putARecord(session, zoneId, name, ip);
  await session.client('route53').send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: `_awsops.${name}`, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: `"heritage=aws-ops,aws-ops/owner=${instanceId}"` }] } }],
      },
    }),
  );
}

/** The A record's values and TTL as Route53 lists them, or undefined. */
export async function readARecord(session: AwsSession, zoneId: string, name: string): Promise<{ ips: string[]; ttl?: number } | undefined> {
  return readRecord(session, zoneId, name, 'A');
}

/** The ownership TXT beside `name` as Route53 lists it, or undefined. */
export async function readOwnershipRecord(session: AwsSession, zoneId: string, name: string): Promise<string[] | undefined> {
  return (await readRecord(session, zoneId, `_awsops.${name}`, 'TXT'))?.ips;
}

async function readRecord(session: AwsSession, zoneId: string, name: string, type: 'A' | 'TXT'): Promise<{ ips: string[]; ttl?: number } | undefined> {
  const output = await session.client('route53').send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
  const record = output.ResourceRecordSets?.find((r) => r.Type === type && r.Name?.replace(/\.$/, '') === name);
  return record && { ips: (record.ResourceRecords ?? []).map((r) => r.Value ?? ''), ttl: record.TTL };
}
