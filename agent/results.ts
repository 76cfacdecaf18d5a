/**
 * Each action's result goes on the jumpbox itself (tags awsops:last-action, and awsops:last-error when it
 * failed), so a failed 08:00 start shows in the Jumpboxes view at 08:05 without anyone reading CloudWatch.
 */
import { CreateTagsCommand, DeleteTagsCommand } from '@aws-sdk/client-ec2';
import { AGENT_TAGS, formatResult, parseOverride } from '../src/core/jumpbox/agentTags';
import type { JumpboxInfo } from '../src/core/jumpbox/model';
import { explainError } from '../src/core/session/errors';
import type { AgentRuntime } from './runtime';

export interface StepResult {
  /** done: acted (or nothing was needed); skipped: a holiday or an override held it back; failed: see the text. */
  outcome: 'done' | 'skipped' | 'failed';
  text: string;
}

/** Never throws: a result that cannot be written is still in the function's log. */
export async function recordResult(runtime: AgentRuntime, jumpbox: JumpboxInfo, at: Date, result: StepResult): Promise<void> {
  const value = formatResult({ at, text: result.text });
  const tags = [{ Key: AGENT_TAGS.lastAction, Value: value }, ...(result.outcome === 'failed' ? [{ Key: AGENT_TAGS.lastError, Value: value }] : [])];
  try {
    await runtime.ec2.send(new CreateTagsCommand({ Resources: [jumpbox.instanceId], Tags: tags }));
    // Overrides expire on their own: one that has ended goes at the next action.
    const override = parseOverride(jumpbox.tags[AGENT_TAGS.override]);
    if (override && override.until <= at) await removeOverride(runtime, jumpbox.instanceId);
  } catch (error) {
    runtime.log(`could not tag ${jumpbox.instanceId}: ${explainError(error).message}`);
  }
}

export async function removeOverride(runtime: AgentRuntime, instanceId: string): Promise<void> {
  await runtime.ec2.send(new DeleteTagsCommand({ Resources: [instanceId], Tags: [{ Key: AGENT_TAGS.override }] }));
}
