/**
 * Creating a pair: preflight (VPC facts, input checks, stack name free) → a change set the user reviews → execute and
 * follow the stack events. Nothing is created until the user confirms; a rejected or declined plan leaves no stack.
 */
import { DeleteStackCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DescribeImagesCommand, DescribeKeyPairsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import type { AwsSession } from '../session/session';
import { architectureFor } from './ami';
import { discardChangeSet, findStack, prepareChangeSet, ProvisionError, runChangeSet, stackResourceIds, step, type ChangeSetPlan } from './changeSet';
import { loadVpcFacts } from './facts';
import { stackNameFor, validatePairSpec, type PairSpec, type SpecProblem } from './inputs';
import type { NodeRole } from './keepalived';
import { checkReachability, reachabilityText } from './reachability';
import { failureOf, watchStack, type StackEvent, type StackFailure, type WatchOptions } from './stackWatch';
import { buildPairTemplate, NODE_LOGICAL_IDS, stackTags, userDataBytes, type CfnTemplate } from './template';
import { USER_DATA_LIMIT } from './userData';

export interface PairPlan extends ChangeSetPlan {
  pairName: string;
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

export async function planPair(session: AwsSession, spec: PairSpec, options: PlanOptions = {}): Promise<PairPlan> {
  const cfn = session.client('cloudformation');
  const ec2 = session.client('ec2');
  const facts = await step('read the VPC', () => loadVpcFacts(ec2, spec.vpcId));
  const problems = validatePairSpec(spec, facts);
  problems.push(...(await step('check the AMI and key pair', () => resourceProblems(ec2, spec))));
  const way = await step('check the way to the AWS APIs', () => checkReachability(ec2, spec, session.spec.region));
  if (!way.ok) problems.push({ field: 'subnetIds', message: reachabilityText(way) });
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
  const changeSet = await prepareChangeSet(cfn, {
    stackName,
    type: 'CREATE',
    template,
    description: `AWS Ops: create HA pair ${spec.name}`,
    tags: stackTags(spec, options.pairTagKey),
    timeoutSeconds: options.changeSetTimeoutSeconds,
  });
  return { ...changeSet, pairName: spec.name, template };
}

/** Runs a reviewed plan and follows its stack events until the stack settles. */
export async function executePlan(session: AwsSession, plan: PairPlan, options: ExecuteOptions = {}): Promise<DeployResult> {
  const cfn = session.client('cloudformation');
  const { status, events } = await runChangeSet(cfn, plan, options);
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
  await discardChangeSet(session.client('cloudformation'), plan);
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

/** Node ids from the stack's resources. */
export async function stackNodes(cfn: CloudFormationClient, stackId: string): Promise<Record<NodeRole, NodeIds>> {
  const physical = await stackResourceIds(cfn, stackId);
  const ids = (node: NodeRole): NodeIds => ({
    instanceId: physical.get(NODE_LOGICAL_IDS[node].instance),
    eniId: physical.get(NODE_LOGICAL_IDS[node].eni),
  });
  return { a: ids('a'), b: ids('b') };
}
