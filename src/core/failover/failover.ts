import type { AwsSession } from '../session/session';
import { executePlan, type ExecuteOptions, type FailoverReport } from './execute';
import { planFailover, type FailoverPlan, type FailoverRequest } from './plan';
import { blockingFailures, preflight, type CheckId, type PreflightCheck } from './preflight';
import { readNodes, readRouteTables } from './reads';

export interface PreparedFailover {
  plan: FailoverPlan;
  checks: PreflightCheck[];
}

/** Reads the VPC's route tables and the pair's nodes, then plans and checks; changes nothing (showFailoverPlan). */
export async function prepareFailover(session: AwsSession, request: FailoverRequest): Promise<PreparedFailover> {
  const ec2 = session.client('ec2');
  const [tables, nodes] = await Promise.all([readRouteTables(ec2, request.vpcId), readNodes(ec2, [...request.nodeIds, request.toInstanceId])]);
  const plan = planFailover(request, tables, nodes);
  return { plan, checks: preflight(plan) };
}

export interface RunOptions extends ExecuteOptions {
  /** Failed checks the user chose to go ahead despite (only overridable ones count). */
  overrides?: ReadonlySet<CheckId>;
}

/** Executes a prepared (and confirmed) failover; refuses without any write while a check blocks it. */
export async function runFailover(session: AwsSession, prepared: PreparedFailover, options: RunOptions = {}): Promise<FailoverReport> {
  const { request } = prepared.plan;
  const blocking = blockingFailures(prepared.checks, options.overrides);
  if (blocking.length > 0) {
    return { result: 'refused', vpcId: request.vpcId, cidrs: request.cidrs, toInstanceId: request.toInstanceId, tables: [], notes: [], refused: blocking };
  }
  return executePlan(session.client('ec2'), prepared.plan, options);
}
