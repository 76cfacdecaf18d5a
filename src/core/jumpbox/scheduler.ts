/**
 * Runs a jumpbox's work hours in AWS, so they hold while VS Code is closed: two EventBridge Scheduler schedules
 * (cron + time zone) whose universal targets call ec2:startInstances / ec2:stopInstances, assuming a role that
 * may start and stop that one instance only. Apply creates or updates (and changes nothing when all matches);
 * remove deletes schedules and role.
 */
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  NoSuchEntityException,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  GetScheduleGroupCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
  ValidationException,
  type CreateScheduleCommandInput,
  type GetScheduleCommandOutput,
} from '@aws-sdk/client-scheduler';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsSession } from '../session/session';
import { JUMPBOX_TAGS } from './model';
import { SCHEDULER_ROLE_PATH, scheduleName, schedulerRoleName, type ScheduleKind as Kind } from './names';
import { scheduledActionInput } from './agentEvents';
import { formatSchedule, toCron, type WorkSchedule } from './schedule';

export const DEFAULT_SCHEDULE_GROUP = 'default';
const ROLE_POLICY_NAME = 'start-stop-one-instance';

const KINDS: readonly Kind[] = ['start', 'stop'];

export function instanceArn(partition: string, region: string, accountId: string, instanceId: string): string {
  return `arn:${partition}:ec2:${region}:${accountId}:instance/${instanceId}`;
}

/** Only EventBridge Scheduler acting for this account may assume the role (no confused deputy). */
export function schedulerTrustPolicy(accountId: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
      },
    ],
  };
}

export function startStopPolicy(arn: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:StopInstances'], Resource: arn }],
  };
}

interface Target {
  region: string;
  instanceId: string;
  partition: string;
  accountId: string;
  groupName: string;
}

/** Where the jumpbox agent of the region takes scheduled actions (see agentStack.ts). */
export interface AgentTarget {
  functionArn: string;
  schedulerRoleArn: string;
}

/**
 * The CreateSchedule/UpdateSchedule input for one side of the schedule: straight to EC2, or, with the agent
 * installed, through it so that holidays and overrides are honoured.
 */
export function desiredSchedule(target: Target, kind: Kind, schedule: WorkSchedule, roleArn: string, agent?: AgentTarget): CreateScheduleCommandInput {
  const action = kind === 'start' ? 'startInstances' : 'stopInstances';
  const direct = {
    Arn: `arn:${target.partition}:scheduler:::aws-sdk:ec2:${action}`,
    RoleArn: roleArn,
    Input: JSON.stringify({ InstanceIds: [target.instanceId] }),
  };
  const viaAgent = agent && { Arn: agent.functionArn, RoleArn: agent.schedulerRoleArn, Input: scheduledActionInput(kind, target.instanceId) };
  return {
    Name: scheduleName(target.instanceId, kind),
    GroupName: target.groupName,
    Description: `aws-ops: ${kind} jumpbox ${target.instanceId} (${formatSchedule(schedule)})${agent ? ' through the jumpbox agent' : ''}`,
    ScheduleExpression: toCron(schedule)[kind],
    ScheduleExpressionTimezone: schedule.timeZone,
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
    Target: {
      ...(viaAgent ?? direct),
      // The default retries for 24 h: a start that finally succeeds at 3 am would defeat the schedule.
      RetryPolicy: { MaximumEventAgeInSeconds: 900, MaximumRetryAttempts: 5 },
    },
  };
}

export type Change = 'created' | 'updated' | 'unchanged';

export interface ApplyResult {
  roleArn: string;
  /** The instance's own role; through the agent none is needed (one left from before is deleted). */
  role: Change | 'not needed';
  start: Change;
  stop: Change;
}

export interface SchedulerOptions {
  groupName?: string;
  /** The region's jumpbox agent, when installed: the schedules then go through it. */
  agent?: AgentTarget;
  onProgress?: (message: string) => void;
}

export async function applyJumpboxSchedule(
  session: AwsSession,
  instanceId: string,
  schedule: WorkSchedule,
  options: SchedulerOptions = {},
): Promise<ApplyResult> {
  const target = await resolveTarget(session, instanceId, options);
  const { agent } = options;
  options.onProgress?.(agent ? 'through the jumpbox agent' : `role ${schedulerRoleName(instanceId)}`);
  const { roleArn, change: role } = agent ? { roleArn: agent.schedulerRoleArn, change: 'not needed' as const } : await ensureRole(session, target);
  if (target.groupName !== DEFAULT_SCHEDULE_GROUP) await ensureGroup(session, target.groupName);
  const result: ApplyResult = { roleArn, role, start: 'unchanged', stop: 'unchanged' };
  for (const kind of KINDS) {
    options.onProgress?.(`schedule ${scheduleName(instanceId, kind)}`);
    const desired = desiredSchedule(target, kind, schedule, roleArn, agent);
    const put = () => putSchedule(session, desired);
    // Scheduler rejects a role IAM has not propagated yet; only a role just written can be in that state.
    result[kind] = role === 'unchanged' || role === 'not needed' ? await put() : await retryWhileRolePropagates(put);
  }
  if (agent) await deleteInstanceRole(session, instanceId);
  return result;
}

export interface RemoveResult {
  deletedSchedules: string[];
  roleDeleted: boolean;
}

/** Deletes the schedules first, so none is left pointing at a deleted role; missing pieces are skipped. */
export async function removeJumpboxSchedule(session: AwsSession, instanceId: string, options: SchedulerOptions = {}): Promise<RemoveResult> {
  const scheduler = session.client('scheduler');
  const groupName = options.groupName ?? DEFAULT_SCHEDULE_GROUP;
  const deletedSchedules: string[] = [];
  for (const kind of KINDS) {
    const name = scheduleName(instanceId, kind);
    options.onProgress?.(`deleting schedule ${name}`);
    const deleted = await ignoring(ResourceNotFoundException, scheduler.send(new DeleteScheduleCommand({ Name: name, GroupName: groupName })));
    if (deleted !== undefined) {
      deletedSchedules.push(name);
    }
  }
  options.onProgress?.(`deleting role ${schedulerRoleName(instanceId)}`);
  return { deletedSchedules, roleDeleted: await deleteInstanceRole(session, instanceId) };
}

/** The instance's own Scheduler role, if it has one; true when it was deleted. */
async function deleteInstanceRole(session: AwsSession, instanceId: string): Promise<boolean> {
  const iam = session.client('iam');
  const RoleName = schedulerRoleName(instanceId);
  await ignoring(NoSuchEntityException, iam.send(new DeleteRolePolicyCommand({ RoleName, PolicyName: ROLE_POLICY_NAME })));
  return (await ignoring(NoSuchEntityException, iam.send(new DeleteRoleCommand({ RoleName })))) !== undefined;
}

export interface AppliedSchedule {
  expression?: string;
  timeZone?: string;
  state?: string;
}

export interface ScheduleState {
  /** True when the schedules call the jumpbox agent rather than EC2 itself. */
  viaAgent: boolean;
  start?: AppliedSchedule;
  stop?: AppliedSchedule;
  /** in-sync: both schedules exist, are enabled and match the tag. */
  status: 'absent' | 'partial' | 'disabled' | 'differs' | 'in-sync';
  message: string;
}

/** What AWS will do for this jumpbox, compared with the schedule its tag asks for (if any). */
export async function readJumpboxSchedule(
  session: AwsSession,
  instanceId: string,
  expected: WorkSchedule | undefined,
  options: Pick<SchedulerOptions, 'groupName'> = {},
): Promise<ScheduleState> {
  const [start, stop] = await Promise.all(KINDS.map((kind) => getSchedule(session, scheduleName(instanceId, kind), options.groupName)));
  const applied = (s?: GetScheduleCommandOutput): AppliedSchedule | undefined =>
    s && { expression: s.ScheduleExpression, timeZone: s.ScheduleExpressionTimezone, state: s.State };
  const state = { start: applied(start), stop: applied(stop), viaAgent: [start, stop].some((s) => s?.Target?.Arn?.includes(':lambda:')) };
  if (!start && !stop) return { ...state, status: 'absent', message: 'No schedule in AWS.' };
  if (!start || !stop) return { ...state, status: 'partial', message: `Only the ${start ? 'start' : 'stop'} schedule exists in AWS: apply again.` };
  if (start.State !== 'ENABLED' || stop.State !== 'ENABLED') return { ...state, status: 'disabled', message: 'The schedule in AWS is disabled.' };
  if (!expected) {
    return { ...state, status: 'differs', message: `Schedules exist in AWS but the instance has no valid ${JUMPBOX_TAGS.schedule} tag.` };
  }
  const cron = toCron(expected);
  const matches = (s: GetScheduleCommandOutput, expression: string) =>
    s.ScheduleExpression === expression && s.ScheduleExpressionTimezone === expected.timeZone;
  if (matches(start, cron.start) && matches(stop, cron.stop)) {
    return { ...state, status: 'in-sync', message: `Applied in AWS: ${formatSchedule(expected)}.` };
  }
  return { ...state, status: 'differs', message: `AWS runs ${start.ScheduleExpression}/${stop.ScheduleExpression} ${start.ScheduleExpressionTimezone}, not the tag's schedule: apply again.` };
}

async function resolveTarget(session: AwsSession, instanceId: string, options: SchedulerOptions): Promise<Target> {
  const identity = await session.client('sts').send(new GetCallerIdentityCommand({}));
  const partition = identity.Arn?.split(':')[1] ?? 'aws';
  return {
    region: session.spec.region,
    instanceId,
    partition,
    accountId: identity.Account ?? '',
    groupName: options.groupName ?? DEFAULT_SCHEDULE_GROUP,
  };
}

async function ensureRole(session: AwsSession, target: Target): Promise<{ roleArn: string; change: Change }> {
  const iam = session.client('iam');
  const RoleName = schedulerRoleName(target.instanceId);
  const trust = schedulerTrustPolicy(target.accountId);
  const policy = startStopPolicy(instanceArn(target.partition, target.region, target.accountId, target.instanceId));
  const existing = await ignoring(NoSuchEntityException, iam.send(new GetRoleCommand({ RoleName })));
  let change: Change = 'unchanged';
  let roleArn = existing ? existing.Role?.Arn ?? '' : '';
  if (!existing) {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName,
        Path: SCHEDULER_ROLE_PATH,
        AssumeRolePolicyDocument: JSON.stringify(trust),
        Description: `aws-ops: lets EventBridge Scheduler start and stop jumpbox ${target.instanceId}`,
        Tags: [{ Key: 'awsops:jumpbox-instance', Value: target.instanceId }],
      }),
    );
    roleArn = created.Role?.Arn ?? '';
    change = 'created';
  } else if (!samePolicy(existing.Role?.AssumeRolePolicyDocument, trust)) {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify(trust) }));
    change = 'updated';
  }
  const current = change === 'created' ? undefined : await ignoring(NoSuchEntityException, iam.send(new GetRolePolicyCommand({ RoleName, PolicyName: ROLE_POLICY_NAME })));
  if (!current || !samePolicy(current.PolicyDocument, policy)) {
    await iam.send(new PutRolePolicyCommand({ RoleName, PolicyName: ROLE_POLICY_NAME, PolicyDocument: JSON.stringify(policy) }));
    if (change === 'unchanged') change = 'updated';
  }
  return { roleArn, change };
}

async function ensureGroup(session: AwsSession, Name: string): Promise<void> {
  const scheduler = session.client('scheduler');
  if (!(await ignoring(ResourceNotFoundException, scheduler.send(new GetScheduleGroupCommand({ Name }))))) {
    await scheduler.send(new CreateScheduleGroupCommand({ Name }));
  }
}

async function putSchedule(session: AwsSession, desired: CreateScheduleCommandInput): Promise<Change> {
  const existing = await getSchedule(session, desired.Name as string, desired.GroupName);
  if (!existing) {
    await session.client('scheduler').send(new CreateScheduleCommand(desired));
    return 'created';
  }
  if (sameSchedule(existing, desired)) return 'unchanged';
  await session.client('scheduler').send(new UpdateScheduleCommand(desired));
  return 'updated';
}

export async function getSchedule(session: AwsSession, Name: string, GroupName?: string): Promise<GetScheduleCommandOutput | undefined> {
  return ignoring(ResourceNotFoundException, session.client('scheduler').send(new GetScheduleCommand({ Name, GroupName })));
}

type ScheduleFields = Partial<
  Pick<CreateScheduleCommandInput, 'Description' | 'ScheduleExpression' | 'ScheduleExpressionTimezone' | 'State' | 'FlexibleTimeWindow' | 'Target'>
>;

/** Compares what apply sets; AWS adds fields of its own (ARN, dates) that do not matter. */
export function sameSchedule(actual: ScheduleFields, desired: ScheduleFields): boolean {
  const pick = (s: ScheduleFields) => [
    s.Description,
    s.ScheduleExpression,
    s.ScheduleExpressionTimezone,
    s.State,
    s.FlexibleTimeWindow?.Mode,
    s.Target?.Arn,
    s.Target?.RoleArn,
    s.Target?.Input && canonicalJson(JSON.parse(s.Target.Input)),
    s.Target?.RetryPolicy?.MaximumEventAgeInSeconds,
    s.Target?.RetryPolicy?.MaximumRetryAttempts,
  ];
  return JSON.stringify(pick(actual)) === JSON.stringify(pick(desired));
}

/** IAM returns policy documents URL-encoded; key order is not significant. */
function samePolicy(document: string | undefined, wanted: object): boolean {
  if (!document) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    parsed = JSON.parse(decodeURIComponent(document));
  }
  return canonicalJson(parsed) === canonicalJson(wanted);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The call's result, or undefined when it failed with the given "not there" error. */
export async function ignoring<T>(notFound: abstract new (...args: never[]) => Error, call: Promise<T>): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof notFound) return undefined;
    throw error;
  }
}

/** IAM usually propagates a new role within seconds; 10 tries 3 s apart cover it without hiding real errors. */
async function retryWhileRolePropagates(put: () => Promise<Change>): Promise<Change> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await put();
    } catch (error) {
      if (!(error instanceof ValidationException && /role/i.test(error.message)) || attempt >= 10) throw error;
      await new Promise((resolve) => setTimeout(resolve, 3000));
    }
  }
}
