import { paginateDescribeInstanceStatus, type EC2Client, type InstanceStatus } from '@aws-sdk/client-ec2';
import type { StatusCheck } from './statusCheck';

/** EC2 accepts at most 100 instance ids in one DescribeInstanceStatus call. */
const BATCH_SIZE = 100;

/**
 * State and status checks of the given instances, batched by 100 with IncludeAllInstances (so stopped
 * instances are reported too). An id that no longer exists is left out rather than failing the batch.
 */
export async function describeStatuses(ec2: EC2Client, instanceIds: readonly string[]): Promise<Record<string, StatusCheck>> {
  const ids = [...new Set(instanceIds)];
  const statuses: Record<string, StatusCheck> = {};
  for (let start = 0; start < ids.length; start += BATCH_SIZE) {
    for (const status of await describeBatch(ec2, ids.slice(start, start + BATCH_SIZE))) {
      if (status.InstanceId) statuses[status.InstanceId] = toStatusCheck(status);
    }
  }
  return statuses;
}

async function describeBatch(ec2: EC2Client, ids: string[]): Promise<InstanceStatus[]> {
  try {
    const statuses: InstanceStatus[] = [];
    for await (const page of paginateDescribeInstanceStatus({ client: ec2 }, { InstanceIds: ids, IncludeAllInstances: true })) {
      statuses.push(...(page.InstanceStatuses ?? []));
    }
    return statuses;
  } catch (error) {
    // EC2 fails the whole call when one id is gone (terminated long ago); its message names the missing ids.
    const missing = (error as { name?: string }).name === 'InvalidInstanceID.NotFound' ? idsIn(String((error as Error).message)) : [];
    const remaining = ids.filter((id) => !missing.includes(id));
    if (missing.length === 0 || remaining.length === ids.length) throw error;
    return remaining.length ? describeBatch(ec2, remaining) : [];
  }
}

function idsIn(message: string): string[] {
  return message.match(/i-[0-9a-f]+/g) ?? [];
}

function toStatusCheck(status: InstanceStatus): StatusCheck {
  return {
    state: status.InstanceState?.Name ?? 'unknown',
    system: status.SystemStatus?.Status ?? 'unknown',
    instance: status.InstanceStatus?.Status ?? 'unknown',
  };
}
