/** Finds jumpboxes: every instance carrying the jumpbox tag key, one paginated DescribeInstances per region. */
import { paginateDescribeInstances, type Instance } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import type { SessionPool } from '../session/pool';
import type { AwsSession, SessionSpec } from '../session/session';
import { CUSTODIAN_TAG_KEY } from './custodian';
import { DEFAULT_JUMPBOX_TAG_KEY, JUMPBOX_TAGS, type JumpboxInfo, type JumpboxRegionResult } from './model';

export async function discoverJumpboxes(session: AwsSession, tagKey = DEFAULT_JUMPBOX_TAG_KEY): Promise<JumpboxInfo[]> {
  const jumpboxes: JumpboxInfo[] = [];
  const pages = paginateDescribeInstances(
    { client: session.client('ec2'), pageSize: 1000 },
    { Filters: [{ Name: 'tag-key', Values: [tagKey] }] },
  );
  for await (const page of pages) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) jumpboxes.push(toJumpboxInfo(instance, session.spec.region));
    }
  }
  return jumpboxes.sort((a, b) => (a.name ?? a.instanceId).localeCompare(b.name ?? b.instanceId));
}

/** All regions in parallel; each region's failure is reported on its own. */
export async function discoverJumpboxesInRegions(
  pool: SessionPool,
  base: Omit<SessionSpec, 'region'>,
  regions: readonly string[],
  tagKey = DEFAULT_JUMPBOX_TAG_KEY,
): Promise<JumpboxRegionResult[]> {
  return Promise.all(
    regions.map(async (region): Promise<JumpboxRegionResult> => {
      try {
        return { region, ok: true, jumpboxes: await discoverJumpboxes(pool.get({ ...base, region }), tagKey) };
      } catch (error) {
        return { region, ok: false, error: explainError(error) };
      }
    }),
  );
}

export function toJumpboxInfo(instance: Instance, region: string): JumpboxInfo {
  const tags: Record<string, string> = {};
  for (const tag of instance.Tags ?? []) if (tag.Key) tags[tag.Key] = tag.Value ?? '';
  // Custodian matches its tag key case-insensitively; so do we.
  const custodianKey = Object.keys(tags).find((key) => key.toLowerCase() === CUSTODIAN_TAG_KEY);
  return {
    region,
    instanceId: instance.InstanceId ?? '',
    name: tags.Name || undefined,
    state: instance.State?.Name ?? 'unknown',
    instanceType: instance.InstanceType,
    platformDetails: instance.PlatformDetails,
    availabilityZone: instance.Placement?.AvailabilityZone,
    publicIp: instance.PublicIpAddress,
    privateIp: instance.PrivateIpAddress,
    launchTime: instance.LaunchTime,
    dnsName: tags[JUMPBOX_TAGS.dns]?.trim() || undefined,
    hostedZone: tags[JUMPBOX_TAGS.hostedZone]?.trim() || undefined,
    scheduleText: tags[JUMPBOX_TAGS.schedule],
    custodianText: custodianKey === undefined ? undefined : tags[custodianKey],
    tags,
  };
}
