/**
 * Installing, updating and removing the jumpbox agent of one region through the shared change-set flow: the
 * user reviews the change set (roles and policies included) before anything is created or changed.
 */
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { DeleteParameterCommand, ParameterNotFound, PutParameterCommand } from '@aws-sdk/client-ssm';
import { deleteStack, discardChangeSet, findStack, prepareChangeSet, ProvisionError, runChangeSet, stackResourceIds, type ChangeSetPlan, type StackDeletion } from '../provision/changeSet';
import { failureOf, type StackFailure, type WatchOptions } from '../provision/stackWatch';
import type { AwsSession } from '../session/session';
import { AGENT_FUNCTION_NAME, AGENT_LOGICAL_IDS, AGENT_STACK_NAME, AGENT_VERSION, AGENT_VERSION_TAG, buildAgentTemplate, HOLIDAYS_PARAMETER, type AgentStatus } from './agentStack';
import { listHostedZones, type HostedZoneInfo } from './dns';
import { zoneListed } from './dnsPolicy';

export async function readAgentStatus(session: AwsSession): Promise<AgentStatus> {
  const region = session.spec.region;
  const cfn = session.client('cloudformation');
  const stack = await findStack(cfn, AGENT_STACK_NAME);
  if (!stack) return { region, installed: false, version: 0 };
  const version = Number(stack.tags[AGENT_VERSION_TAG]) || 0;
  const usable = /^(CREATE|UPDATE)_COMPLETE$|^UPDATE_ROLLBACK_COMPLETE$/.test(stack.status);
  if (!usable) return { region, installed: false, version, stackStatus: stack.status };
  const physical = await stackResourceIds(cfn, stack.stackId);
  // arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/…: the function's ARN follows from its fixed name.
  const [, partition, , , account] = stack.stackId.split(':');
  const roleName = physical.get(AGENT_LOGICAL_IDS.schedulerRole);
  const role = roleName ? await session.client('iam').send(new GetRoleCommand({ RoleName: roleName })) : undefined;
  return {
    region,
    installed: true,
    version,
    stackStatus: stack.status,
    functionArn: `arn:${partition}:lambda:${region}:${account}:function:${physical.get(AGENT_LOGICAL_IDS.function) ?? AGENT_FUNCTION_NAME}`,
    schedulerRoleArn: role?.Role?.Arn,
  };
}

export interface AgentPlan extends ChangeSetPlan {
  region: string;
  /** The zones setting awsops.dnsZones resolved to: the only ones the agent's role may change. */
  zones: HostedZoneInfo[];
  /** Entries of the setting that name no zone visible to this account. */
  unmatchedZones: string[];
}

export interface AgentPlanInput {
  code: string;
  jumpboxTagKey: string;
  /** Setting awsops.dnsZones (names or ids). */
  dnsZones: readonly string[];
}

/** A change set that creates the agent, or updates the installed one; nothing changes until it is run. */
export async function planAgent(session: AwsSession, input: AgentPlanInput): Promise<AgentPlan> {
  const cfn = session.client('cloudformation');
  const existing = await findStack(cfn, AGENT_STACK_NAME);
  if (existing && !/_COMPLETE$/.test(existing.status)) {
    throw new ProvisionError(`Stack ${AGENT_STACK_NAME} is ${existing.status}: wait until it settles, or remove the agent first.`);
  }
  if (existing?.status === 'ROLLBACK_COMPLETE') throw new ProvisionError(`Stack ${AGENT_STACK_NAME} failed to create (ROLLBACK_COMPLETE): remove the agent, then install it again.`);
  const zones = input.dnsZones.length ? await listHostedZones(session.client('route53')) : [];
  const allowed = zones.filter((zone) => zoneListed(zone, input.dnsZones));
  const unmatchedZones = input.dnsZones.filter((entry) => !zones.some((zone) => zoneListed(zone, [entry])));
  let plan: ChangeSetPlan;
  try {
    plan = await prepareChangeSet(cfn, {
      stackName: AGENT_STACK_NAME,
      type: existing ? 'UPDATE' : 'CREATE',
      template: buildAgentTemplate({ code: input.code, jumpboxTagKey: input.jumpboxTagKey }),
      description: `AWS Ops: ${existing ? 'update' : 'install'} the jumpbox agent v${AGENT_VERSION}`,
      parameters: [{ ParameterKey: 'HostedZoneIds', ParameterValue: allowed.map((zone) => zone.id).join(',') }],
      tags: [{ Key: AGENT_VERSION_TAG, Value: String(AGENT_VERSION) }],
    });
  } catch (error) {
    // CloudFormation refuses a change set that changes nothing: for an update that is good news.
    if (existing && error instanceof ProvisionError && /didn't contain changes|No updates/i.test(error.message)) {
      throw new ProvisionError(`The jumpbox agent in ${session.spec.region} is already up to date (v${AGENT_VERSION}, the same zones and tag key): nothing to change.`, [], undefined, 'NoChanges');
    }
    throw error;
  }
  return { ...plan, region: session.spec.region, zones: allowed, unmatchedZones };
}

export type AgentDeployResult = { ok: true; status: string } | { ok: false; status: string; failure?: StackFailure };

/** Runs the reviewed change set; a create that rolled back is deleted, so installing again starts clean. */
export async function deployAgent(session: AwsSession, plan: AgentPlan, holidays: readonly string[], options: WatchOptions = {}): Promise<AgentDeployResult> {
  const cfn = session.client('cloudformation');
  const { status, events } = await runChangeSet(cfn, plan, options);
  if (!/^(CREATE|UPDATE)_COMPLETE$/.test(status)) {
    if (status === 'ROLLBACK_COMPLETE') await deleteStack(cfn, plan.stackId, { ...options, onEvent: undefined });
    return { ok: false, status, failure: failureOf(events) };
  }
  await writeHolidays(session, holidays);
  return { ok: true, status };
}

export async function discardAgentPlan(session: AwsSession, plan: AgentPlan): Promise<void> {
  await discardChangeSet(session.client('cloudformation'), plan);
}

/** The holidays the agent reads (setting awsops.holidays), as a JSON list in one SSM parameter per region. */
export async function writeHolidays(session: AwsSession, holidays: readonly string[]): Promise<void> {
  await session.client('ssm').send(
    new PutParameterCommand({ Name: HOLIDAYS_PARAMETER, Type: 'String', Value: JSON.stringify([...holidays].sort()), Overwrite: true, Description: 'AWS Ops: jumpbox holidays (setting awsops.holidays)' }),
  );
}

/** Deletes the stack, then the holidays parameter; a cancel before DeleteStack changes nothing. */
export async function removeAgent(session: AwsSession, options: WatchOptions = {}): Promise<StackDeletion | undefined> {
  const cfn = session.client('cloudformation');
  const stack = await findStack(cfn, AGENT_STACK_NAME);
  if (!stack) return undefined;
  const deletion = await deleteStack(cfn, stack.stackId, options);
  if (deletion.outcome === 'deleted') {
    try {
      await session.client('ssm').send(new DeleteParameterCommand({ Name: HOLIDAYS_PARAMETER }));
    } catch (error) {
      if (!(error instanceof ParameterNotFound)) throw error;
    }
  }
  return deletion;
}
