/**
 * Work-hours starts and stops, and the end of an override: each checked against the holidays (SSM parameter)
 * and the override tag before the instance is started or stopped.
 */
import { StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand, ParameterNotFound } from '@aws-sdk/client-ssm';
import type { OverrideEndEvent, ScheduledActionEvent } from '../src/core/jumpbox/agentEvents';
import { activeOverride, AGENT_TAGS, describeOverride, isoSeconds, parseOverride } from '../src/core/jumpbox/agentTags';
import type { JumpboxInfo } from '../src/core/jumpbox/model';
import { parseSchedule, type WorkSchedule } from '../src/core/jumpbox/schedule';
import { holidayProblem } from '../src/core/jumpbox/savings';
import { overrideEndAction, skipReason, type ActionKind } from '../src/core/jumpbox/upcoming';
import { removeOverride, type StepResult } from './results';
import type { AgentRuntime } from './runtime';

export async function runScheduled(runtime: AgentRuntime, jumpbox: JumpboxInfo, event: ScheduledActionEvent, now: Date): Promise<StepResult> {
  const at = validDate(event.scheduledTime) ?? now;
  const timeZone = scheduleOf(jumpbox)?.timeZone ?? 'UTC';
  const holidays = event.action === 'start' ? await readHolidays(runtime) : new Set<string>();
  const reason = skipReason(event.action, at, timeZone, holidays, activeOverride(jumpbox.tags[AGENT_TAGS.override], at));
  if (reason) return { outcome: 'skipped', text: `scheduled ${event.action} skipped: ${reason}` };
  return act(runtime, jumpbox, event.action, `scheduled ${event.action}`);
}

export async function endOverride(runtime: AgentRuntime, jumpbox: JumpboxInfo, event: OverrideEndEvent, now: Date): Promise<StepResult> {
  const override = parseOverride(jumpbox.tags[AGENT_TAGS.override]);
  // A newer override (with its own schedule) or a cleared one: this end is no longer anyone's.
  if (!override || isoSeconds(override.until) !== event.until) return { outcome: 'skipped', text: `override end ${event.until}: the override was changed or cleared since` };
  if (override.until > now) return { outcome: 'skipped', text: `override end ${event.until} came early (it is ${isoSeconds(now)})` };
  await removeOverride(runtime, jumpbox.instanceId);
  const action = overrideEndAction(override, scheduleOf(jumpbox), await readHolidays(runtime));
  const what = `${describeOverride(override)} ended`;
  if (!action) return { outcome: 'done', text: `${what}: the schedule keeps it ${override.kind}` };
  return act(runtime, jumpbox, action, what);
}

async function act(runtime: AgentRuntime, jumpbox: JumpboxInfo, action: ActionKind, what: string): Promise<StepResult> {
  const { instanceId, state } = jumpbox;
  const already = action === 'start' ? ['running', 'pending'] : ['stopped', 'stopping'];
  if (already.includes(state)) return { outcome: 'done', text: `${what}: already ${state}` };
  if (state === 'terminated' || state === 'shutting-down') return { outcome: 'failed', text: `${what}: the instance is ${state}` };
  const command = action === 'start' ? new StartInstancesCommand({ InstanceIds: [instanceId] }) : new StopInstancesCommand({ InstanceIds: [instanceId] });
  await runtime.ec2.send(command);
  return { outcome: 'done', text: `${what}: ${action === 'start' ? 'started' : 'stopped'}` };
}

function scheduleOf(jumpbox: JumpboxInfo): WorkSchedule | undefined {
  const parsed = jumpbox.scheduleText === undefined ? undefined : parseSchedule(jumpbox.scheduleText);
  return parsed?.ok ? parsed.schedule : undefined;
}

/** The holidays of this region; none when the parameter does not exist. Malformed entries are left out. */
async function readHolidays(runtime: AgentRuntime): Promise<Set<string>> {
  let value: string | undefined;
  try {
    value = (await runtime.ssm.send(new GetParameterCommand({ Name: runtime.config.holidaysParameter }))).Parameter?.Value;
  } catch (error) {
    if (error instanceof ParameterNotFound) return new Set();
    throw error;
  }
  let list: unknown;
  try {
    list = JSON.parse(value ?? '[]');
  } catch {
    list = [];
  }
  return new Set((Array.isArray(list) ? list : []).filter((day): day is string => typeof day === 'string' && holidayProblem(day) === undefined));
}

function validDate(text: string | undefined): Date | undefined {
  const date = text === undefined ? undefined : new Date(text);
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}
