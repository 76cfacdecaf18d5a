/** The events AWS delivers to the jumpbox agent, built exactly as EventBridge and Scheduler send them. */
import { randomUUID } from 'node:crypto';
import { overrideEndInput, scheduledActionInput } from '../../src/core/jumpbox/agentEvents';
import type { ActionKind } from '../../src/core/jumpbox/upcoming';

export const ACCOUNT = '123456789012';

/** EventBridge's "EC2 Instance State-change Notification" (it carries no tags). */
export function stateChangeEvent(region: string, instanceId: string, state: string, time = new Date()) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: ACCOUNT,
    time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [`arn:aws:ec2:${region}:${ACCOUNT}:instance/${instanceId}`],
    detail: { 'instance-id': instanceId, state },
  };
}

/** What a work-hours schedule's Lambda target receives: its Input, with Scheduler's context attribute filled in. */
export function scheduledEvent(action: ActionKind, instanceId: string, scheduledTime: Date): unknown {
  return JSON.parse(scheduledActionInput(action, instanceId).replace('<aws.scheduler.scheduled-time>', scheduledTime.toISOString().replace(/\.\d{3}Z$/, 'Z')));
}

export function overrideEndEvent(instanceId: string, until: string): unknown {
  return JSON.parse(overrideEndInput(instanceId, until));
}
