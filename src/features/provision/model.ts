/** What the provisioning commands show, as plain text built from plain data (pure, unit-tested). */
import type { DeployResult } from '../../core/provision/deploy';
import { formatListener, listenersProblem, parseListener, type Listener, type PairSpec, type VpcFacts } from '../../core/provision/inputs';
import type { TeardownReport } from '../../core/provision/teardown';
import type { TreeNode } from '../../plumbing/treeNode';

export interface Message {
  severity: 'info' | 'warn' | 'error';
  text: string;
}

/** Listeners as typed in one input box: "80/http -> 10.0.1.10:8080, 10.0.1.11:8080; 443 -> app.internal:443". */
export function parseListeners(text: string, vip: string): { listeners: Listener[] } | { problem: string } {
  const parts = text.split(';').map((part) => part.trim()).filter(Boolean);
  const listeners: Listener[] = [];
  for (const [i, part] of parts.entries()) {
    const parsed = parseListener(part);
    if ('problem' in parsed) return { problem: parts.length > 1 ? `Listener ${i + 1}: ${parsed.problem}` : parsed.problem };
    listeners.push(parsed.listener);
  }
  const problem = listenersProblem(listeners, vip);
  return problem ? { problem } : { listeners };
}

export function formatListeners(listeners: readonly Listener[]): string {
  return listeners.map(formatListener).join('; ');
}

/** The wizard's last page and the confirm modal: what the pair will be, one line per decision. */
export function specSummary(spec: PairSpec, region: string, facts: VpcFacts): string[] {
  const subnet = (id: string) => `${id} (${facts.subnets[id]?.availabilityZone ?? 'unknown AZ'})`;
  const tables = spec.routeTableIds.length;
  return [
    `Region ${region}, ${spec.vpcId}: node A in ${subnet(spec.subnetIds[0])}, node B in ${subnet(spec.subnetIds[1])}.`,
    tables === 0 && spec.elasticIp
      ? `Public only: keepalived holds ${spec.vip} on MASTER and no route table carries it; ${spec.preempt ? 'node A takes the Elastic IP back when it recovers (preempt)' : 'no flapping back after a failover'}.`
      : `VIP ${spec.vip}/32${spec.confirmedPublicVip ? ' (a public address, confirmed by typing it)' : ''} in ${tables} route table${tables === 1 ? '' : 's'}, pointing at node A first; ${spec.preempt ? 'node A takes it back when it recovers (preempt)' : 'no flapping back after a failover'}.`,
    `${spec.instanceType} from ${spec.imageId}; ${spec.keyName ? `key pair ${spec.keyName}, SSH ${spec.sshCidr ? `from ${spec.sshCidr}` : 'closed'}` : 'no key pair (SSM Session Manager only)'}.`,
    `haproxy: ${spec.listeners.length > 0 ? formatListeners(spec.listeners) : 'port 80 answers by itself (minimal default)'}; clients from ${spec.clientCidr}.`,
    ...(spec.elasticIp ? [`Public: ${spec.elasticIp.allocationId ? `your Elastic IP ${spec.elasticIp.allocationId} (adopted; the stack never releases it)` : 'an Elastic IP the stack allocates'}, on node A first, moved to the new MASTER by keepalived's notify script.`] : []),
  ];
}

export function deployMessage(pairName: string, region: string, result: DeployResult): Message {
  if (result.ok) {
    const { a, b } = result.nodes;
    const node = (ids: { instanceId?: string; eniId?: string }) => `${ids.instanceId ?? 'unknown instance'} (${ids.eniId ?? 'unknown ENI'})`;
    return {
      severity: 'info',
      text: `Pair ${pairName} is up in ${region}: node A ${node(a)}, node B ${node(b)}. The VIP routes point at node A; the nodes finish installing haproxy and keepalived in a few minutes.`,
    };
  }
  const failure = result.failure
    ? `${result.failure.logicalId} (${result.failure.resourceType}) ${result.failure.status}: ${result.failure.reason}`
    : `the stack ended ${result.status} without a failure event`;
  return { severity: 'error', text: `Pair ${pairName} was not created: ${failure}. ${afterFailure(result.status, result.stackDeleted)}` };
}

function afterFailure(status: string, stackDeleted: boolean): string {
  if (stackDeleted) return `CloudFormation rolled the stack back (${status}) and it was deleted: nothing is left, and the name is free again.`;
  if (status === 'ROLLBACK_COMPLETE') return 'CloudFormation rolled the stack back (ROLLBACK_COMPLETE): it holds no resources, but blocks the name until you tear the pair down.';
  return `The stack is ${status}: some resources may remain. See its events in the CloudFormation console, then tear the pair down.`;
}

export function teardownMessages(report: TeardownReport, region: string): Message[] {
  if (report.outcome === 'not-found') return [{ severity: 'info', text: `There is no stack ${report.stackName} in ${region}: nothing to tear down.` }];
  if (report.outcome === 'cancelled') {
    return [report.deleteRequested
      ? { severity: 'warn', text: `Cancelled after DeleteStack: CloudFormation goes on deleting ${report.stackName} in ${region} (a delete cannot be undone), and VIP routes it leaves behind were not removed. Check the VIP Routes view once it is gone.` }
      : { severity: 'info', text: `Cancelled before DeleteStack: ${report.stackName} in ${region} is unchanged.` }];
  }
  if (report.outcome === 'failed') {
    const why = report.failure ? `${report.failure.logicalId} (${report.failure.resourceType}): ${report.failure.reason}` : 'no failure event was recorded';
    return [{ severity: 'error', text: `Stack ${report.stackName} was not deleted (${report.finalStatus ?? 'unknown status'}): ${why}. Fix the cause, then tear the pair down again.` }];
  }
  const removed = report.routes.filter((r) => r.outcome === 'removed');
  const failed = report.routes.filter((r) => r.outcome === 'failed');
  const routes = removed.length > 0 ? ` Removed ${removed.length} VIP route${removed.length === 1 ? '' : 's'} left behind: ${removed.map(routeText).join(', ')}.` : '';
  return [
    { severity: 'info', text: `Stack ${report.stackName} is deleted in ${region}.${routes}` },
    ...failed.map((r): Message => ({ severity: 'warn', text: `The route ${routeText(r)} still exists: ${r.error}. Delete it in the VPC console.` })),
  ];
}

function routeText(route: { routeTableId: string; destination: string; target: string }): string {
  return `${route.destination} in ${route.routeTableId} (→ ${route.target})`;
}

/** The pair a Pairs view row stands for, when the command was invoked on one. */
export function pairOfNode(node: TreeNode | undefined): { pairName: string; region?: string } | undefined {
  const data = node?.data as { pairName?: unknown; region?: unknown } | undefined;
  if (typeof data?.pairName !== 'string') return undefined;
  return { pairName: data.pairName, region: typeof data.region === 'string' ? data.region : undefined };
}
