import type { AwsSession } from '../session/session';
import { executePlan, type ExecuteOptions, type FailoverReport } from './execute';
import { planFailover, type FailoverPlan, type FailoverRequest } from './plan';
import { blockingFailures, preflight, type CheckId, type PreflightCheck } from './preflight';
import { readNodes, readRouteTables, readVpcSubnets } from './reads';

export interface PreparedFailover {
  plan: FailoverPlan;
  checks: PreflightCheck[];
}

/** Reads the VPC's route tables and subnets and the pair's nodes, then plans and checks; changes nothing (showFailoverPlan). */
export async function prepareFailover(session: AwsSession, request: FailoverRequest): Promise<PreparedFailover> {
  const ec2 = session.client('ec2');
  const [tables, subnets, nodes] = await Promise.all([
    readRouteTables(ec2, request.vpcId),
    readVpcSubnets(ec2, request.vpcId),
    readNodes(ec2, [...request.nodeIds, request.toInstanceId]),
  ]);
  const plan = planFailover(request, tables, nodes, subnets);
  return { plan, checks: preflight(plan) };
}

export interface RunOptions extends ExecuteOptions {
  /** Failed checks the user chose to go ahead despite (only overridable ones count). */
  overrides?: ReadonlySet<CheckId>;
}

/**
 * Executes a prepared (and confirmed) failover. The nodes are read and checked again first, since a peer can
 * stop while the user reads the plan; nothing is written while a check blocks, or when cancelled by then.
 */
export async function runFailover(session: AwsSession, prepared: PreparedFailover, options: RunOptions = {}): Promise<FailoverReport> {
  const { plan } = prepared;
  const { request } = plan;
  const ec2 = session.client('ec2');
  const nothing = { vpcId: request.vpcId, cidrs: request.cidrs, toInstanceId: request.toInstanceId, tables: [] };
  let blocking = blockingFailures(prepared.checks, options.overrides);
  if (blocking.length === 0) {
    options.onProgress?.({ phase: 'checking', done: 0, total: 1 });
    const fresh = { ...plan, nodes: await readNodes(ec2, [...request.nodeIds, request.toInstanceId]) };
    blocking = blockingFailures(preflight(fresh), options.overrides).map((c) => ({ ...c, message: `${c.message} (checked again just before the first write)` }));
    if (options.signal?.aborted && blocking.length === 0) return { ...nothing, result: 'cancelled', stopped: 'cancelled', notes: ['Cancelled before any route was moved: nothing changed.'] };
    if (blocking.length === 0) return executePlan(ec2, fresh, options);
  }
  return { ...nothing, result: 'refused', notes: [], refused: blocking };
}
