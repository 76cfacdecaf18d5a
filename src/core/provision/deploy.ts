/**
 * Creating a pair: preflight (VPC facts, input checks, stack name free) → a change set the user reviews → execute and
 * follow the stack events. Nothing is created until the user confirms; a rejected or declined plan leaves no stack.
 */
import {
  CreateChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  paginateDescribeChangeSet,
  paginateListStackResources,
  waitUntilChangeSetCreateComplete,
  type Change,
  type CloudFormationClient,
} from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, DescribeKeyPairsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import type { AwsSession } from '../session/session';
import { architectureFor } from './ami';
import { loadVpcFacts } from './facts';
import { stackNameFor, validatePairSpec, type PairSpec, type SpecProblem } from './inputs';
import type { NodeRole } from './keepalived';
import { failureOf, watchStack, type StackEvent, type StackFailure, type WatchOptions } from './stackWatch';
import { buildPairTemplate, NODE_LOGICAL_IDS, stackTags, userDataBytes, type CfnTemplate } from './template';
import { USER_DATA_LIMIT } from './userData';

/** A preflight or API failure, said so the user knows what to change; `problems` lists every bad input. */
export class ProvisionError extends Error {
  constructor(
    message: string,
    readonly problems: SpecProblem[] = [],
    readonly hint?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProvisionError';
  }
}

export type ChangeAction = 'add' | 'modify' | 'replace' | 'maybe-replace' | 'remove' | 'other';

export interface PlannedChange {
  logicalId: string;
  resourceType: string;
  action: ChangeAction;
  physicalId?: string;
}

export interface PairPlan {
  pairName: string;
  stackName: string;
  stackId: string;
  changeSetId: string;
  changes: PlannedChange[];
  template: CfnTemplate;
}

export interface PlanOptions {
  pairTagKey?: string;
  /** Longest wait for CloudFormation to compute the change set. */
  changeSetTimeoutSeconds?: number;
}

export interface NodeIds {
  instanceId?: string;
  eniId?: string;
}

export type DeployResult =
  | { ok: true; stackId: string; status: string; nodes: Record<NodeRole, NodeIds>; events: StackEvent[] }
  | {
      ok: false;
      stackId: string;
      /** The stack's final status, e.g. ROLLBACK_COMPLETE or ROLLBACK_FAILED. */
      status: string;
      failure?: StackFailure;
      /** True when the rolled-back, empty stack was deleted, so the pair name is free again. */
      stackDeleted: boolean;
      events: StackEvent[];
    };

export interface ExecuteOptions extends WatchOptions {
  /** Delete a stack that rolled back completely (it holds no resources but blocks the name); default true. */
  deleteFailedStack?: boolean;
}

/** CloudFormation's limit for a template passed inline. */
const MAX_TEMPLATE_BODY = 51_200;

export async function planPair(session: AwsSession, spec: PairSpec, options: PlanOptions = {}): Promise<PairPlan> {
  const cfn = session.client('cloudformation');
  const ec2 = session.client('ec2');
  const facts = await step('read the VPC', () => loadVpcFacts(ec2, spec.vpcId));
  const problems = validatePairSpec(spec, facts);
  problems.push(...(await step('check the AMI and key pair', () => resourceProblems(ec2, spec))));
  const bytes = userDataBytes(spec);
  if (bytes > USER_DATA_LIMIT) {
    problems.push({
      field: 'listeners',
      message: `The node configuration needs ${bytes} bytes of user data, over EC2's ${USER_DATA_LIMIT}: use fewer listeners or servers.`,
    });
  }
  if (problems.length > 0) throw new ProvisionError(problems.map((p) => p.message).join(' '), problems);

  const stackName = stackNameFor(spec.name);
  const existing = await step('check the stack name', () => findStack(cfn, stackName));
  if (existing) {
    const message = `A stack named ${stackName} already exists (${existing.status}): pick another pair name, or tear that pair down first.`;
    throw new ProvisionError(message, [{ field: 'name', message }]);
  }
  const template = buildPairTemplate(spec, { vpcCidrs: facts.cidrs, pairTagKey: options.pairTagKey });
  const body = JSON.stringify(template);
  if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY) {
    throw new ProvisionError(
      `The template has ${Buffer.byteLength(body)} bytes, over CloudFormation's ${MAX_TEMPLATE_BODY} for an inline template: save it and deploy it from S3.`,
    );
  }
  const created = await step('create the change set', () =>
    cfn.send(
      new CreateChangeSetCommand({
        StackName: stackName,
        ChangeSetName: `awsops-create-${Date.now()}`,
        ChangeSetType: 'CREATE',
        Description: `AWS Ops: create HA pair ${spec.name}`,
        TemplateBody: body,
        Capabilities: ['CAPABILITY_IAM'],
        Tags: stackTags(spec, options.pairTagKey),
      }),
    ),
  );
  const plan: PairPlan = {
    pairName: spec.name,
    stackName,
    stackId: created.StackId ?? stackName,
    changeSetId: created.Id ?? '',
    changes: [],
    template,
  };
  try {
    await waitUntilChangeSetCreateComplete(
      { client: cfn, maxWaitTime: options.changeSetTimeoutSeconds ?? 300, minDelay: 1, maxDelay: 5 },
      { ChangeSetName: plan.changeSetId },
    );
  } catch (error) {
    const reason = await changeSetReason(cfn, plan.changeSetId).catch(() => explainError(error).message);
    await discardPlan(session, plan).catch(() => undefined);
    throw new ProvisionError(`CloudFormation could not prepare the change set: ${reason}`);
  }
  plan.changes = await step('read the change set', () => describeChanges(cfn, plan.changeSetId));
  return plan;
}

/** Runs a reviewed plan and follows its stack events until the stack settles. */
export async function executePlan(session: AwsSession, plan: PairPlan, options: ExecuteOptions = {}): Promise<DeployResult> {
  const cfn = session.client('cloudformation');
  await step('start the change set', () => cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: plan.changeSetId })));
  const { status, events } = await watchStack(cfn, plan.stackId, options);
  if (status === 'CREATE_COMPLETE') {
    return { ok: true, stackId: plan.stackId, status, nodes: await stackNodes(cfn, plan.stackId), events };
  }
  let stackDeleted = false;
  if (status === 'ROLLBACK_COMPLETE' && options.deleteFailedStack !== false) {
    await cfn.send(new DeleteStackCommand({ StackName: plan.stackId }));
    const deletion = await watchStack(cfn, plan.stackId, { ...options, onEvent: undefined });
    stackDeleted = deletion.status === 'DELETE_COMPLETE';
  }
  return { ok: false, stackId: plan.stackId, status, failure: failureOf(events), stackDeleted, events };
}

/** The user declined: remove the change set and the empty stack CloudFormation holds it in. */
export async function discardPlan(session: AwsSession, plan: PairPlan): Promise<void> {
  const cfn = session.client('cloudformation');
  const status = (await findStack(cfn, plan.stackId))?.status;
  if (status === undefined) return;
  if (status !== 'REVIEW_IN_PROGRESS') {
    throw new ProvisionError(`Stack ${plan.stackName} is ${status}, no longer an unexecuted plan: tear the pair down instead.`);
  }
  await cfn.send(new DeleteStackCommand({ StackName: plan.stackId }));
  await watchStack(cfn, plan.stackId, { pollMs: 1000, timeoutMs: 120_000 });
}

/** The AMI and key pair must exist here, and the AMI must suit the instance type's architecture. */
async function resourceProblems(ec2: EC2Client, spec: PairSpec): Promise<SpecProblem[]> {
  const notFound = (error: unknown) => /NotFound|Malformed/.test(explainError(error).code);
  const problems: SpecProblem[] = [];
  try {
    const image = (await ec2.send(new DescribeImagesCommand({ ImageIds: [spec.imageId] }))).Images?.[0];
    const wanted = architectureFor(spec.instanceType);
    if (image?.Architecture && image.Architecture !== wanted) {
      const message = `AMI ${spec.imageId} is built for ${image.Architecture}, but ${spec.instanceType} runs ${wanted}: pick a matching AMI or instance type.`;
      problems.push({ field: 'imageId', message });
    }
  } catch (error) {
    if (!notFound(error)) throw error;
    problems.push({ field: 'imageId', message: `AMI ${spec.imageId} does not exist in this region (or is not shared with this account).` });
  }
  if (spec.keyName !== undefined) {
    try {
      await ec2.send(new DescribeKeyPairsCommand({ KeyNames: [spec.keyName] }));
    } catch (error) {
      if (!notFound(error)) throw error;
      problems.push({ field: 'keyName', message: `Key pair "${spec.keyName}" does not exist in this region.` });
    }
  }
  return problems;
}

/** Node ids from the stack's resources (stack outputs are not filled in by every CloudFormation implementation). */
export async function stackNodes(cfn: CloudFormationClient, stackId: string): Promise<Record<NodeRole, NodeIds>> {
  const physical = new Map<string, string>();
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackId })) {
    for (const r of page.StackResourceSummaries ?? []) {
      if (r.LogicalResourceId && r.PhysicalResourceId) physical.set(r.LogicalResourceId, r.PhysicalResourceId);
    }
  }
  const ids = (node: NodeRole): NodeIds => ({
    instanceId: physical.get(NODE_LOGICAL_IDS[node].instance),
    eniId: physical.get(NODE_LOGICAL_IDS[node].eni),
  });
  return { a: ids('a'), b: ids('b') };
}

/** The live stack of that name (or id), or undefined when there is none. */
export async function findStack(cfn: CloudFormationClient, stackNameOrId: string): Promise<{ stackId: string; status: string } | undefined> {
  try {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackNameOrId }))).Stacks?.[0];
    // A stack id keeps answering after deletion; such a stack is history, not a live stack.
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
    return { stackId: stack.StackId ?? stackNameOrId, status: stack.StackStatus ?? 'UNKNOWN' };
  } catch (error) {
    if (/does not exist/i.test(explainError(error).message)) return undefined;
    throw error;
  }
}

export function changeAction(change: Change): ChangeAction {
  const rc = change.ResourceChange;
  switch (rc?.Action) {
    case 'Add':
      return 'add';
    case 'Remove':
      return 'remove';
    case 'Modify':
      return rc.Replacement === 'True' ? 'replace' : rc.Replacement === 'Conditional' ? 'maybe-replace' : 'modify';
    default:
      return 'other';
  }
}

async function describeChanges(cfn: CloudFormationClient, changeSetId: string): Promise<PlannedChange[]> {
  const changes: PlannedChange[] = [];
  for await (const page of paginateDescribeChangeSet({ client: cfn }, { ChangeSetName: changeSetId })) {
    for (const change of page.Changes ?? []) {
      changes.push({
        logicalId: change.ResourceChange?.LogicalResourceId ?? '',
        resourceType: change.ResourceChange?.ResourceType ?? '',
        action: changeAction(change),
        physicalId: change.ResourceChange?.PhysicalResourceId,
      });
    }
  }
  return changes;
}

async function changeSetReason(cfn: CloudFormationClient, changeSetId: string): Promise<string> {
  const result = await cfn.send(new DescribeChangeSetCommand({ ChangeSetName: changeSetId }));
  return result.StatusReason ?? `change set ${result.Status ?? 'in an unknown state'}`;
}

/** Runs one preflight/API step; failures carry what we were doing and what to do about it. */
async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProvisionError) throw error;
    const explained = explainError(error);
    throw new ProvisionError(`Could not ${what}: ${explained.code}: ${explained.message}`, [], explained.hint, explained.code);
  }
}
