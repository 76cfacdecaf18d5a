/**
 * Keep Running Until… / Keep Stopped Until…: a tag the agent reads before each scheduled action, plus a
 * one-time Scheduler schedule that calls the agent when the override ends (it then does what the work hours
 * call for, and Scheduler deletes the schedule). The tag alone suffices to expire it: an ended override no
 * longer counts, whatever is left.
 */
import { CreateTagsCommand, DeleteTagsCommand, DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { CreateScheduleCommand, DeleteScheduleCommand, ResourceNotFoundException, UpdateScheduleCommand, type CreateScheduleCommandInput } from '@aws-sdk/client-scheduler';
import type { AwsSession } from '../session/session';
import { overrideEndInput } from './agentEvents';
import { AGENT_TAGS, formatOverride, isoSeconds, parseOverride, type Override } from './agentTags';
import { overrideScheduleName } from './names';
import { DEFAULT_SCHEDULE_GROUP, getSchedule, ignoring, type AgentTarget } from './scheduler';

/** The one-time schedule's input: at the override's end, in UTC, deleted by Scheduler once it ran. */
export function overrideEndSchedule(instanceId: string, override: Override, agent: AgentTarget): CreateScheduleCommandInput {
  const until = isoSeconds(override.until);
  return {
    Name: overrideScheduleName(instanceId),
    GroupName: DEFAULT_SCHEDULE_GROUP,
    Description: `aws-ops: end of "keep ${override.kind} until ${until}" for jumpbox ${instanceId}`,
    ScheduleExpression: `at(${until.slice(0, 19)})`,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    ActionAfterCompletion: 'DELETE',
    State: 'ENABLED',
    Target: {
      Arn: agent.functionArn,
      RoleArn: agent.schedulerRoleArn,
      Input: overrideEndInput(instanceId, until),
      RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 5 },
    },
  };
}

/** Sets (or replaces) the override and its end schedule, then reads the tag back. */
export async function setOverride(session: AwsSession, instanceId: string, override: Override, agent: AgentTarget): Promise<Override | undefined> {
  const scheduler = session.client('scheduler');
  const input = overrideEndSchedule(instanceId, override, agent);
  // The schedule first: a tag without its end would hold until the next scheduled action noticed it ended.
  const existing = await getSchedule(session, input.Name as string, input.GroupName);
  await scheduler.send(existing ? new UpdateScheduleCommand(input) : new CreateScheduleCommand(input));
  await session.client('ec2').send(new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: AGENT_TAGS.override, Value: formatOverride(override) }] }));
  return readOverride(session, instanceId);
}

/** Removes the tag and the end schedule, whichever exist. */
export async function clearOverride(session: AwsSession, instanceId: string): Promise<void> {
  await session.client('ec2').send(new DeleteTagsCommand({ Resources: [instanceId], Tags: [{ Key: AGENT_TAGS.override }] }));
  await ignoring(ResourceNotFoundException, session.client('scheduler').send(new DeleteScheduleCommand({ Name: overrideScheduleName(instanceId), GroupName: DEFAULT_SCHEDULE_GROUP })));
}

export async function readOverride(session: AwsSession, instanceId: string): Promise<Override | undefined> {
  const output = await session.client('ec2').send(
    new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [instanceId] }, { Name: 'key', Values: [AGENT_TAGS.override] }] }),
  );
  return parseOverride(output.Tags?.[0]?.Value);
}
