import { DescribeAddressesCommand, type Address, type EC2Client } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import { nodeOf } from './plan';
import type { NodeRead } from './reads';
import type { FinalRoute } from './stableReads';

/** Where an Elastic IP is associated now: an ENI and private IP (and the instance behind them), or nowhere. */
export interface EipHolder {
  eniId?: string;
  privateIp?: string;
  instanceId?: string;
}

/**
 * The Elastic IPs by allocation id, as one DescribeAddresses sees them. A filter (not AllocationIds) so that
 * one released address does not fail the whole call: it is simply missing ("vanished").
 */
export async function readAddresses(ec2: EC2Client, allocationIds: readonly string[]): Promise<Map<string, Address | 'vanished'>> {
  let addresses: Address[];
  try {
    addresses = (await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: 'allocation-id', Values: [...allocationIds] }] }))).Addresses ?? [];
  } catch (error) {
    const e = explainError(error);
    throw new Error(`could not read the Elastic IPs: ${e.code}: ${e.message}`);
  }
  const byId = new Map(addresses.map((a) => [a.AllocationId, a]));
  return new Map(allocationIds.map((id) => [id, byId.get(id) ?? 'vanished']));
}

/** Where the address is associated; the instance is the one EC2 names, or else the node whose ENI holds it. */
export function holderOf(address: Address, nodes: Record<string, NodeRead>): EipHolder {
  const eniId = address.NetworkInterfaceId;
  return { eniId, privateIp: address.PrivateIpAddress, instanceId: address.InstanceId || (eniId ? nodeOf({ kind: 'eni', id: eniId }, nodes) : undefined) };
}

/**
 * An association in the shape route read-backs use, so that the same stable-read rule verifies both: the
 * "target" is the ENI, the node the instance it delivers to, the state the private IP.
 */
export function associationRoute(address: Address | 'vanished', nodes: Record<string, NodeRead>): FinalRoute {
  if (address === 'vanished') return { kind: 'vanished' };
  const holder = holderOf(address, nodes);
  if (!address.AssociationId || !holder.eniId) return { kind: 'no-route' };
  return { kind: 'route', target: { kind: 'eni', id: holder.eniId }, node: holder.instanceId, state: holder.privateIp ?? '' };
}
