import { statusChecksOk } from '../pairs/statusCheck';
import type { FailoverPlan } from './plan';

export type CheckId =
  | 'pair-complete'
  | 'peer-exists'
  | 'peer-running'
  | 'peer-status-checks'
  | 'source-dest-check'
  | 'same-vpc'
  | 'routes-exist'
  | 'foreign-targets'
  | 'elastic-ips';

export interface PreflightCheck {
  id: CheckId;
  ok: boolean;
  /** Whether the user may go ahead despite a failure; false where the failover cannot work at all. */
  overridable: boolean;
  /** What was checked, and when it failed, why it matters and what to do. */
  message: string;
}

const GONE_STATES = new Set(['shutting-down', 'terminated']);

/** Everything that must hold before routes move, each failure explained (pure). */
export function preflight(plan: FailoverPlan): PreflightCheck[] {
  const { request, nodes, steps } = plan;
  const to = request.toInstanceId;
  const peer = nodes[to];
  const checks: PreflightCheck[] = [];
  const check = (id: CheckId, ok: boolean, overridable: boolean, okMessage: string, failMessage: string) =>
    checks.push({ id, ok, overridable, message: ok ? okMessage : failMessage });

  const others = request.nodeIds.filter((id) => id !== to);
  check('pair-complete', request.nodeIds.includes(to) && others.length > 0, false, `${to} is the peer of ${others.join(', ')}.`,
    others.length === 0 ? `The pair has only one node (${request.nodeIds.join(', ') || 'none'}): there is no peer to fail over to.` : `${to} is not a node of this pair.`);
  check('peer-exists', !!peer, false, `${to} exists.`, `${to} does not exist (any more): there is nothing to fail over to.`);
  if (peer) {
    const gone = GONE_STATES.has(peer.state);
    check('peer-running', peer.state === 'running', !gone, `${to} is running.`,
      gone ? `${to} is ${peer.state}: it can never take the VIP.` : `${to} is ${peer.state}: it cannot forward the VIP's traffic until it runs. Start it first.`);
    check('peer-status-checks', statusChecksOk(peer.status), true, `${to} passes its status checks.`,
      peer.status
        ? `${to} status checks are system ${peer.status.system}, instance ${peer.status.instance}: it may not serve the VIP.`
        : `${to} status checks were not reported: its health is unknown.`);
    check('source-dest-check', peer.sourceDestCheck === false, true, `${to} has source/dest check off.`,
      `${to} has source/dest check on: EC2 drops packets addressed to the VIP. Turn it off (ModifyInstanceAttribute SourceDestCheck=false).`);
    check('same-vpc', peer.vpcId === request.vpcId, false, `${to} is in ${request.vpcId}.`,
      `${to} is in ${peer.vpcId ?? 'no VPC'}, not in ${request.vpcId}: a route cannot point at an instance in another VPC.`);
  }
  // A pair with only public VIPs (Elastic IPs) has no route to check.
  if (request.cidrs.length > 0) {
    const routeless = request.cidrs.filter((cidr) => !steps.some((s) => s.cidr === cidr && s.action !== 'create'));
    check('routes-exist', routeless.length === 0, false, `Every VIP has routes in ${request.vpcId}.`,
      `${routeless.join(', ')} has no route in any route table of ${request.vpcId}: there is nothing to fail over.`);
    const foreign = steps.filter((s) => s.action === 'replace' && !(s.fromNode && request.nodeIds.includes(s.fromNode)) && s.fromState !== 'blackhole');
    check('foreign-targets', foreign.length === 0, true, 'Every VIP route points at a node of the pair.',
      `${foreign.map((s) => `${s.routeTableName ?? s.routeTableId} sends ${s.cidr} to ${s.from?.id}`).join('; ')}, which is not in this pair: failing over takes the VIP away from it.`);
  }
  if (plan.eipSteps.length > 0 || plan.eipReleased.length > 0) {
    const problem = plan.eipReleased.length
      ? `Elastic IP(s) ${plan.eipReleased.join(', ')} no longer exist: refresh and plan again.`
      : plan.eipSteps.some((s) => s.action === 'move' && !s.to.eniId) ? `${to} has no primary network interface to take the Elastic IP(s).` : undefined;
    check('elastic-ips', !problem, false, `The Elastic IP(s) ${plan.eipSteps.map((s) => s.publicIp).join(', ')} can move to ${to}.`, problem ?? '');
  }
  return checks;
}

/** The failed checks that stop the failover: those that cannot be overridden, and those the user did not override. */
export function blockingFailures(checks: readonly PreflightCheck[], overrides: ReadonlySet<CheckId> = new Set()): PreflightCheck[] {
  return checks.filter((c) => !c.ok && (!c.overridable || !overrides.has(c.id)));
}
