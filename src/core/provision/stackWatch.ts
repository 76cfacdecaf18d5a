/** Follows a CloudFormation stack until it settles, reporting each new stack event once, oldest first. */
import {
  DescribeStacksCommand,
  paginateDescribeStackEvents,
  type CloudFormationClient,
  type StackEvent as SdkStackEvent,
} from '@aws-sdk/client-cloudformation';

export interface StackEvent {
  eventId: string;
  timestamp: Date;
  logicalId: string;
  resourceType: string;
  status: string;
  reason?: string;
  physicalId?: string;
}

export interface WatchOptions {
  onEvent?: (event: StackEvent) => void;
  /** Between polls; CloudFormation itself updates every few seconds. */
  pollMs?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface StackFailure {
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string;
}

export interface WatchResult {
  status: string;
  events: StackEvent[];
}

/** Polls `stackId` (an ARN, which still answers once the stack is deleted) until its status stops being *_IN_PROGRESS. */
export async function watchStack(cfn: CloudFormationClient, stackId: string, options: WatchOptions = {}): Promise<WatchResult> {
  const pollMs = options.pollMs ?? 3000;
  const timeoutMs = options.timeoutMs ?? 60 * 60_000;
  const deadline = Date.now() + timeoutMs;
  const seen = new Set<string>();
  const events: StackEvent[] = [];
  for (;;) {
    options.signal?.throwIfAborted();
    const status = await stackStatus(cfn, stackId);
    for (const event of await newEvents(cfn, stackId, seen)) {
      events.push(event);
      options.onEvent?.(event);
    }
    if (!status.endsWith('_IN_PROGRESS')) return { status, events };
    if (Date.now() > deadline) throw new Error(`Stack ${stackId} is still ${status} after ${Math.round(timeoutMs / 1000)} s.`);
    await sleep(pollMs, options.signal);
  }
}

/**
 * The event that explains a failed create or delete: the first resource that failed for a reason of its own
 * (CloudFormation marks the others "Resource creation cancelled"), else the first failure of any kind.
 */
export function failureOf(events: readonly StackEvent[]): StackFailure | undefined {
  const failed = events.filter((e) => e.status.endsWith('_FAILED'));
  const own = failed.find((e) => e.resourceType !== 'AWS::CloudFormation::Stack' && !/cancel/i.test(e.reason ?? ''));
  const event = own ?? failed[0] ?? events.find((e) => e.status.startsWith('ROLLBACK') && e.reason);
  if (!event) return undefined;
  const reason = [event.reason ?? 'no reason given', ...signalledReasons(events, event.logicalId)].join('; ');
  return { logicalId: event.logicalId, resourceType: event.resourceType, status: event.status, reason };
}

/**
 * What a node said when it signalled FAILURE: SignalResource has no reason field, so the node's readiness check puts
 * it in the UniqueId ("i-0abc…:haproxy-config-invalid"), which CloudFormation echoes in the resource's event.
 */
function signalledReasons(events: readonly StackEvent[], logicalId: string): string[] {
  return events
    .filter((e) => e.logicalId === logicalId)
    .map((e) => /Received FAILURE signal with UniqueId ([^:\s]+):(\S+)/.exec(e.reason ?? ''))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => `node ${match[1]} reported: ${match[2]}`);
}

async function stackStatus(cfn: CloudFormationClient, stackId: string): Promise<string> {
  const result = await cfn.send(new DescribeStacksCommand({ StackName: stackId }));
  return result.Stacks?.[0]?.StackStatus ?? 'UNKNOWN';
}

/** Events come newest first; stop paging at the first one already reported. */
async function newEvents(cfn: CloudFormationClient, stackId: string, seen: Set<string>): Promise<StackEvent[]> {
  const fresh: StackEvent[] = [];
  outer: for await (const page of paginateDescribeStackEvents({ client: cfn }, { StackName: stackId })) {
    for (const raw of page.StackEvents ?? []) {
      const event = toEvent(raw);
      if (seen.has(event.eventId)) break outer;
      seen.add(event.eventId);
      fresh.push(event);
    }
  }
  return fresh.reverse();
}

function toEvent(raw: SdkStackEvent): StackEvent {
  return {
    eventId: raw.EventId ?? `${raw.LogicalResourceId}-${raw.ResourceStatus}-${raw.Timestamp?.toISOString()}`,
    timestamp: raw.Timestamp ?? new Date(0),
    logicalId: raw.LogicalResourceId ?? '',
    resourceType: raw.ResourceType ?? '',
    status: raw.ResourceStatus ?? '',
    reason: raw.ResourceStatusReason,
    physicalId: raw.PhysicalResourceId,
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
