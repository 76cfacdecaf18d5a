/**
 * The change-set flow every stack AWS Ops deploys goes through (HA pairs, the jumpbox agent): a change set the
 * user reviews → execute it and follow the stack events, or discard it. Nothing changes until the user
 * confirms; a declined or refused change set leaves no stack behind (and an update leaves the stack as it was).
 */
import {
  CreateChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  DescribeChangeSetCommand,
  DescribeStacksCommand,
  ExecuteChangeSetCommand,
  paginateDescribeChangeSet,
  paginateListStackResources,
  waitUntilChangeSetCreateComplete,
  type Capability,
  type Change,
  type CloudFormationClient,
  type Parameter,
  type Tag,
} from '@aws-sdk/client-cloudformation';
import { explainError } from '../session/errors';
import type { SpecProblem } from './inputs';
import { watchStack, type StackEvent, type WatchOptions, type WatchResult } from './stackWatch';

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

export interface ChangeSetRequest {
  stackName: string;
  /** CREATE makes a new stack (held in REVIEW_IN_PROGRESS until executed); UPDATE changes an existing one. */
  type: 'CREATE' | 'UPDATE';
  template: object;
  description: string;
  parameters?: Parameter[];
  tags?: Tag[];
  capabilities?: Capability[];
  /** Longest wait for CloudFormation to compute the change set. */
  timeoutSeconds?: number;
}

export interface ChangeSetPlan {
  stackName: string;
  stackId: string;
  changeSetId: string;
  type: ChangeSetRequest['type'];
  changes: PlannedChange[];
}

/** CloudFormation's limit for a template passed inline. */
export const MAX_TEMPLATE_BODY = 51_200;

/** Creates the change set and waits until CloudFormation computed it; on failure nothing is left behind. */
export async function prepareChangeSet(cfn: CloudFormationClient, request: ChangeSetRequest): Promise<ChangeSetPlan> {
  const body = JSON.stringify(request.template);
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_TEMPLATE_BODY) {
    throw new ProvisionError(`The template has ${bytes} bytes, over CloudFormation's ${MAX_TEMPLATE_BODY} for an inline template: save it and deploy it from S3.`);
  }
  const created = await step('create the change set', () =>
    cfn.send(
      new CreateChangeSetCommand({
        StackName: request.stackName,
        ChangeSetName: `awsops-${request.type.toLowerCase()}-${Date.now()}`,
        ChangeSetType: request.type,
        Description: request.description,
        TemplateBody: body,
        Parameters: request.parameters,
        Capabilities: request.capabilities ?? ['CAPABILITY_IAM'],
        Tags: request.tags,
      }),
    ),
  );
  const plan: ChangeSetPlan = { stackName: request.stackName, stackId: created.StackId ?? request.stackName, changeSetId: created.Id ?? '', type: request.type, changes: [] };
  try {
    await waitUntilChangeSetCreateComplete(
      { client: cfn, maxWaitTime: request.timeoutSeconds ?? 300, minDelay: 1, maxDelay: 5 },
      { ChangeSetName: plan.changeSetId },
    );
  } catch (error) {
    const reason = await changeSetReason(cfn, plan.changeSetId).catch(() => explainError(error).message);
    await discardChangeSet(cfn, plan).catch(() => undefined);
    throw new ProvisionError(`CloudFormation could not prepare the change set: ${reason}`);
  }
  plan.changes = await step('read the change set', () => describeChanges(cfn, plan.changeSetId));
  return plan;
}

/** Executes a reviewed change set and follows the stack events until the stack settles. */
export async function runChangeSet(cfn: CloudFormationClient, plan: ChangeSetPlan, options: WatchOptions = {}): Promise<WatchResult> {
  await step('start the change set', () => cfn.send(new ExecuteChangeSetCommand({ ChangeSetName: plan.changeSetId })));
  return watchStack(cfn, plan.stackId, options);
}

/** The user declined: an update's change set is deleted; a create's empty stack (REVIEW_IN_PROGRESS) goes with it. */
export async function discardChangeSet(cfn: CloudFormationClient, plan: ChangeSetPlan): Promise<void> {
  if (plan.type === 'UPDATE') {
    await cfn.send(new DeleteChangeSetCommand({ ChangeSetName: plan.changeSetId }));
    return;
  }
  const status = (await findStack(cfn, plan.stackId))?.status;
  if (status === undefined) return;
  if (status !== 'REVIEW_IN_PROGRESS') {
    throw new ProvisionError(`Stack ${plan.stackName} is ${status}, no longer an unexecuted plan: delete the stack instead.`);
  }
  await cfn.send(new DeleteStackCommand({ StackName: plan.stackId }));
  await watchStack(cfn, plan.stackId, { pollMs: 1000, timeoutMs: 120_000 });
}

export interface StackDeletion {
  /** cancelled: by the user, before DeleteStack (nothing changed) or while following it (see deleteRequested). */
  outcome: 'deleted' | 'failed' | 'cancelled';
  /** DeleteStack was sent: CloudFormation carries on deleting, and cannot be undone. */
  deleteRequested: boolean;
  finalStatus?: string;
  events: StackEvent[];
}

/** DeleteStack, followed until the stack is gone; a cancel before it changes nothing, after it stops following. */
export async function deleteStack(cfn: CloudFormationClient, stackId: string, options: WatchOptions = {}): Promise<StackDeletion> {
  if (options.signal?.aborted) return { outcome: 'cancelled', deleteRequested: false, events: [] };
  await cfn.send(new DeleteStackCommand({ StackName: stackId }));
  try {
    const { status, events } = await watchStack(cfn, stackId, options);
    return { outcome: status === 'DELETE_COMPLETE' ? 'deleted' : 'failed', deleteRequested: true, finalStatus: status, events };
  } catch (error) {
    if (options.signal?.aborted) return { outcome: 'cancelled', deleteRequested: true, events: [] };
    throw error;
  }
}

/** The live stack of that name (or id), or undefined when there is none. */
export async function findStack(cfn: CloudFormationClient, stackNameOrId: string): Promise<{ stackId: string; status: string; tags: Record<string, string> } | undefined> {
  try {
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackNameOrId }))).Stacks?.[0];
    // A stack id keeps answering after deletion; such a stack is history, not a live stack.
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return undefined;
    const tags = Object.fromEntries((stack.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    return { stackId: stack.StackId ?? stackNameOrId, status: stack.StackStatus ?? 'UNKNOWN', tags };
  } catch (error) {
    if (/does not exist/i.test(explainError(error).message)) return undefined;
    throw error;
  }
}

/** Logical id → physical id of the stack's resources (stack outputs are not filled in by every CloudFormation implementation). */
export async function stackResourceIds(cfn: CloudFormationClient, stackId: string): Promise<Map<string, string>> {
  const physical = new Map<string, string>();
  for await (const page of paginateListStackResources({ client: cfn }, { StackName: stackId })) {
    for (const r of page.StackResourceSummaries ?? []) if (r.LogicalResourceId && r.PhysicalResourceId) physical.set(r.LogicalResourceId, r.PhysicalResourceId);
  }
  return physical;
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
export async function step<T>(what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ProvisionError) throw error;
    const explained = explainError(error);
    throw new ProvisionError(`Could not ${what}: ${explained.code}: ${explained.message}`, [], explained.hint, explained.code);
  }
}
