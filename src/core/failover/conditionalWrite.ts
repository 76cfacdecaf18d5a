import { CreateRouteCommand, DeleteRouteCommand, ReplaceRouteCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import { readRoute, sameTarget, type RouteRead, type TargetRef } from './reads';

/** A write made only while the route still points where we last saw it. */
export interface ConditionalWrite {
  routeTableId: string;
  cidr: string;
  /** The target the route must have now; undefined = there must be no route. */
  expect?: TargetRef;
  /** The target to set; undefined = delete the route. */
  want?: TargetRef;
  isDone(route: RouteRead | undefined): boolean;
}

export type WriteResult = { kind: 'already' | 'moved' | 'vanished' } | { kind: 'uncertain' | 'refused'; reason: string };

/** Reads the route, and writes only if it is still as expected (EC2 has no conditional replace; this keeps the window to one round trip). */
export async function conditionalWrite(ec2: EC2Client, w: ConditionalWrite): Promise<WriteResult> {
  let current: RouteRead | undefined | 'vanished';
  try {
    current = await readRoute(ec2, w.routeTableId, w.cidr);
  } catch (error) {
    const e = explainError(error);
    return { kind: 'refused', reason: `could not read the route before changing it: ${e.code}` };
  }
  if (current === 'vanished') return { kind: 'vanished' };
  if (w.isDone(current)) return { kind: 'already' };
  const asExpected = w.expect ? !!current && sameTarget(current.target, w.expect) : !current;
  if (!asExpected) {
    return { kind: 'refused', reason: current ? `changed by someone else: now → ${current.target.id}` : 'changed by someone else: the VIP route was removed' };
  }
  try {
    await ec2.send(writeCommand(w));
    return { kind: 'moved' };
  } catch (error) {
    const e = explainError(error);
    return { kind: 'uncertain', reason: `${e.code}: ${e.message}` };
  }
}

function writeCommand(w: ConditionalWrite) {
  const destination = w.cidr.includes(':') ? { DestinationIpv6CidrBlock: w.cidr } : { DestinationCidrBlock: w.cidr };
  const base = { RouteTableId: w.routeTableId, ...destination };
  if (!w.want) return new DeleteRouteCommand(base);
  const target = targetParameter(w.want);
  return w.expect ? new ReplaceRouteCommand({ ...base, ...target }) : new CreateRouteCommand({ ...base, ...target });
}

/** The ReplaceRoute/CreateRoute parameter naming a target; gateways and the like are told apart by their id prefix. */
function targetParameter(target: TargetRef): Record<string, string> {
  if (target.kind === 'instance') return { InstanceId: target.id };
  if (target.kind === 'eni') return { NetworkInterfaceId: target.id };
  const prefixes: Array<[string, string]> = [['nat-', 'NatGatewayId'], ['tgw-', 'TransitGatewayId'], ['pcx-', 'VpcPeeringConnectionId'], ['lgw-', 'LocalGatewayId'], ['cagw-', 'CarrierGatewayId'], ['arn:', 'CoreNetworkArn']];
  return { [prefixes.find(([prefix]) => target.id.startsWith(prefix))?.[1] ?? 'GatewayId']: target.id };
}
