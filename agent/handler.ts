/** One invocation: what the event is about, whether it is a jumpbox, the action, and its result in the tags. */
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { classifyEvent } from '../src/core/jumpbox/agentEvents';
import { toJumpboxInfo } from '../src/core/jumpbox/discovery';
import type { JumpboxInfo } from '../src/core/jumpbox/model';
import { explainError } from '../src/core/session/errors';
import { followState } from './followState';
import { recordResult, type StepResult } from './results';
import type { AgentRuntime } from './runtime';
import { endOverride, runScheduled } from './scheduled';

export interface AgentOutcome {
  instanceId?: string;
  /** ignored: not a jumpbox, or not an event for the agent; nothing was changed or written. */
  outcome: StepResult['outcome'] | 'ignored';
  message: string;
}

export async function handle(event: unknown, runtime: AgentRuntime): Promise<AgentOutcome> {
  const classified = classifyEvent(event);
  if (!classified) return finish(runtime, { outcome: 'ignored', message: 'not an event the jumpbox agent handles' });
  const instanceId = classified.kind === 'state-change' ? classified.detail['instance-id'] : classified.instanceId;
  let jumpbox: JumpboxInfo | undefined;
  try {
    jumpbox = await describeJumpbox(runtime, instanceId);
  } catch (error) {
    return finish(runtime, { instanceId, outcome: 'failed', message: failureText(`reading ${instanceId}`, error) });
  }
  if (!jumpbox) return finish(runtime, { instanceId, outcome: 'ignored', message: `${instanceId} is not a jumpbox (no tag ${runtime.config.jumpboxTagKey})` });
  const now = runtime.now();
  let result: StepResult;
  try {
    if (classified.kind === 'state-change') result = await followState(runtime, jumpbox, classified.detail.state);
    else if (classified.kind === 'schedule') result = await runScheduled(runtime, jumpbox, classified, now);
    else result = await endOverride(runtime, jumpbox, classified, now);
  } catch (error) {
    result = { outcome: 'failed', text: failureText(classified.kind === 'schedule' ? `scheduled ${classified.action}` : classified.kind, error) };
  }
  await recordResult(runtime, jumpbox, now, result);
  return finish(runtime, { instanceId, outcome: result.outcome, message: result.text });
}

/** The instance when it carries the jumpbox tag; undefined for any other instance (or none). */
async function describeJumpbox(runtime: AgentRuntime, instanceId: string): Promise<JumpboxInfo | undefined> {
  // A filter (unlike InstanceIds) answers an unknown id with nothing rather than an error.
  const output = await runtime.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'instance-id', Values: [instanceId] }] }));
  const instance = output.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  const info = instance && toJumpboxInfo(instance, await runtime.ec2.config.region());
  return info && runtime.config.jumpboxTagKey in info.tags ? info : undefined;
}

export function failureText(what: string, error: unknown): string {
  const e = explainError(error);
  return `${what} failed: ${e.code}: ${e.message}`;
}

function finish(runtime: AgentRuntime, outcome: AgentOutcome): AgentOutcome {
  runtime.log(JSON.stringify(outcome));
  return outcome;
}
