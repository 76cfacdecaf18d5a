/**
 * The events the jumpbox agent's function receives, in the shapes AWS delivers them: EventBridge's EC2 instance
 * state-change notification, and the Input of the Scheduler schedules AWS Ops creates (delivered to a Lambda
 * target as the event itself, with Scheduler's context attributes filled in).
 */
import type { ActionKind } from './upcoming';

export const STATE_CHANGE_DETAIL_TYPE = 'EC2 Instance State-change Notification';

/** The EventBridge pattern of the agent's rule: only the states it acts on. */
export const STATE_CHANGE_PATTERN = { source: ['aws.ec2'], 'detail-type': [STATE_CHANGE_DETAIL_TYPE], detail: { state: ['running', 'stopped'] } };

export interface StateChangeEvent {
  version: string;
  id: string;
  'detail-type': typeof STATE_CHANGE_DETAIL_TYPE;
  source: 'aws.ec2';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: { 'instance-id': string; state: string };
}

/** A work-hours start or stop, sent by the jumpbox's schedule. */
export interface ScheduledActionEvent {
  awsops: 'schedule';
  action: ActionKind;
  instanceId: string;
  /** When Scheduler meant to run it (retries come later): the day a holiday is checked against. */
  scheduledTime?: string;
}

/** The end of a Keep Running/Stopped Until… override, sent by its one-time schedule. */
export interface OverrideEndEvent {
  awsops: 'override-end';
  instanceId: string;
  until: string;
}

export type AgentEvent = ({ kind: 'state-change' } & StateChangeEvent) | ({ kind: 'schedule' } & ScheduledActionEvent) | ({ kind: 'override-end' } & OverrideEndEvent);

/** Scheduler replaces this with the invocation's scheduled time. */
const SCHEDULED_TIME = '<aws.scheduler.scheduled-time>';

export function scheduledActionInput(action: ActionKind, instanceId: string): string {
  const event: ScheduledActionEvent = { awsops: 'schedule', action, instanceId, scheduledTime: SCHEDULED_TIME };
  return JSON.stringify(event);
}

export function overrideEndInput(instanceId: string, until: string): string {
  const event: OverrideEndEvent = { awsops: 'override-end', instanceId, until };
  return JSON.stringify(event);
}

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;

/** What an invocation is about, or undefined for anything else (the function ignores it). */
export function classifyEvent(event: unknown): AgentEvent | undefined {
  const e = (event ?? {}) as Record<string, unknown>;
  const detail = (e.detail ?? {}) as Record<string, unknown>;
  if (e.source === 'aws.ec2' && e['detail-type'] === STATE_CHANGE_DETAIL_TYPE && isInstanceId(detail['instance-id']) && typeof detail.state === 'string') {
    return { kind: 'state-change', ...(e as unknown as StateChangeEvent) };
  }
  if (e.awsops === 'schedule' && (e.action === 'start' || e.action === 'stop') && isInstanceId(e.instanceId)) {
    return { kind: 'schedule', ...(e as unknown as ScheduledActionEvent) };
  }
  if (e.awsops === 'override-end' && isInstanceId(e.instanceId) && typeof e.until === 'string') {
    return { kind: 'override-end', ...(e as unknown as OverrideEndEvent) };
  }
  return undefined;
}

function isInstanceId(value: unknown): value is string {
  return typeof value === 'string' && INSTANCE_ID.test(value);
}
