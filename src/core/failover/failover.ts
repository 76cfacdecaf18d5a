import type { AwsSession } from '../session/session';
import { moveEips, planEipMoves, restoreEips } from './eipFailover';
import { holderOf, readAddresses } from './eipReads';
import { executePlan, type ExecuteOptions, type FailoverReport } from './execute';
import { planFailover, type FailoverPlan, type FailoverRequest } from './plan';
import { blockingFailures, preflight, type CheckId, type PreflightCheck } from './preflight';
import { readNodes, readRouteTables, readVpcSubnets } from './reads';
import { DEFAULT_READ_TIMING } from './stableReads';

export interface PreparedFailover {
  plan: FailoverPlan;
  checks: PreflightCheck[];
}

/** Reads the VPC's route tables and subnets, the pair's nodes and Elastic IPs, then plans and checks; changes nothing (showFailoverPlan). */
export async function prepareFailover(session: AwsSession, request: FailoverRequest): Promise<PreparedFailover> {
  const ec2 = session.client('ec2');
  const allocationIds = request.allocationIds ?? [];
  const [tables, subnets, nodes, addresses] = await Promise.all([
    readRouteTables(ec2, request.vpcId),
    readVpcSubnets(ec2, request.vpcId),
    readNodes(ec2, [...request.nodeIds, request.toInstanceId]),
    allocationIds.length ? readAddresses(ec2, allocationIds) : new Map(),
  ]);
  const found = new Map([...addresses].flatMap(([id, a]) => (a === 'vanished' ? [] : [[id, { publicIp: a.PublicIp ?? id, holder: holderOf(a, nodes) }] as const])));
  const plan = {
    ...planFailover(request, tables, nodes, subnets),
    eipSteps: planEipMoves(found, nodes, request.toInstanceId),
    eipReleased: allocationIds.filter((id) => !found.has(id)),
  };
  return { plan, checks: preflight(plan) };
}

export interface RunOptions extends ExecuteOptions {
  /** Failed checks the user chose to go ahead despite (only overridable ones count). */
  overrides?: ReadonlySet<CheckId>;
}

/**
 * Executes a prepared (and confirmed) failover. The nodes are read and checked again first, since a peer can
 * stop while the user reads the plan; nothing is written while a check blocks, or when cancelled by then.
 * The Elastic IPs move first (a few calls, verified); when one cannot, they are put back and no route moves.
 * When the routes then fail and roll back, the Elastic IPs go back too: both kinds of VIP end on one node.
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
    if (blocking.length === 0) return plan.eipSteps.some((s) => s.action === 'move') ? withEips(session, fresh, options) : executePlan(ec2, fresh, options);
  }
  return { ...nothing, result: 'refused', notes: [], refused: blocking };
}

async function withEips(session: AwsSession, plan: FailoverPlan, options: RunOptions): Promise<FailoverReport> {
  const ec2 = session.client('ec2');
  const timing = { ...DEFAULT_READ_TIMING, ...options.reads };
  options.onProgress?.({ phase: 'moving', done: 0, total: plan.eipSteps.length });
  const eips = await moveEips(ec2, plan.eipSteps, plan.nodes, timing);
  if (eips.result !== 'moved') {
    const { request } = plan;
    const untouched = { vpcId: request.vpcId, cidrs: request.cidrs, toInstanceId: request.toInstanceId, tables: [], addresses: eips.addresses };
    return { ...untouched, result: eips.result, notes: [...eips.notes, 'No route was moved: the Elastic IPs move first.'] };
  }
  const routes = await executePlan(ec2, plan, options);
  if (routes.result !== 'rolled-back' && routes.result !== 'cancelled') return { ...routes, addresses: eips.addresses };
  const back = await restoreEips(ec2, plan.eipSteps, plan.nodes, timing);
  const result = back.result === 'rolled-back' ? routes.result : 'unverified';
  return { ...routes, result, addresses: back.addresses, notes: [...routes.notes, ...back.notes, 'The Elastic IPs were put back with the routes.'] };
}
