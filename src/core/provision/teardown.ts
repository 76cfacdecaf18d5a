/**
 * Tearing a pair down: DeleteStack, follow it, then remove VIP routes that still point at the pair's ENIs or
 * instances (routes a node created itself with CreateRoute are not the stack's, and some CloudFormation
 * implementations leave AWS::EC2::Route behind). The report says exactly what happened to each route.
 */
import {
  DeleteRouteCommand,
  DescribeInstancesCommand,
  DescribeNetworkInterfacesCommand,
  paginateDescribeRouteTables,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import type { AwsSession } from '../session/session';
import { deleteStack, findStack } from './changeSet';
import { stackNodes } from './deploy';
import { stackNameFor } from './inputs';
import { failureOf, type StackEvent, type StackFailure, type WatchOptions } from './stackWatch';

export interface RouteCleanup {
  routeTableId: string;
  destination: string;
  /** The pair ENI or instance the route still named after the stack was gone. */
  target: string;
  outcome: 'removed' | 'failed';
  error?: string;
}

export interface TeardownReport {
  stackName: string;
  stackId?: string;
  /**
   * deleted: the stack is gone; not-found: there was no such stack; failed: DeleteStack did not complete;
   * cancelled: stopped by the user (before DeleteStack: nothing changed; after it: see deleteRequested).
   */
  outcome: 'deleted' | 'not-found' | 'failed' | 'cancelled';
  /** DeleteStack was sent: CloudFormation carries on deleting, and cannot be undone. */
  deleteRequested?: boolean;
  finalStatus?: string;
  failure?: StackFailure;
  /** Leftover routes to the pair's nodes, and what teardown did with each. */
  routes: RouteCleanup[];
  events: StackEvent[];
}

export async function teardownPair(session: AwsSession, pairName: string, options: WatchOptions = {}): Promise<TeardownReport> {
  const cfn = session.client('cloudformation');
  const ec2 = session.client('ec2');
  const stackName = stackNameFor(pairName);
  const stack = await findStack(cfn, stackName);
  if (!stack) return { stackName, outcome: 'not-found', routes: [], events: [] };

  const { stackId } = stack;
  // Recorded before deletion: afterwards the stack no longer says which ENIs and instances were the nodes.
  const nodes = await stackNodes(cfn, stackId);
  const eniIds = Object.values(nodes).flatMap((n) => (n.eniId ? [n.eniId] : []));
  const instanceIds = Object.values(nodes).flatMap((n) => (n.instanceId ? [n.instanceId] : []));
  const vpcId = await vpcOf(ec2, eniIds, instanceIds);

  const deletion = await deleteStack(cfn, stackId, options);
  // A delete cannot be rolled back: a cancelled report says whether it goes on, and that leftover routes were not removed.
  if (deletion.outcome === 'cancelled') return { stackName, stackId, outcome: 'cancelled', deleteRequested: deletion.deleteRequested, routes: [], events: [] };
  const { finalStatus, events } = deletion;
  if (deletion.outcome === 'failed') {
    return { stackName, stackId, outcome: 'failed', finalStatus, failure: failureOf(events), routes: [], events };
  }
  const routes = vpcId ? await removeLeftoverRoutes(ec2, vpcId, new Set([...eniIds, ...instanceIds])) : [];
  return { stackName, stackId, outcome: 'deleted', finalStatus, routes, events };
}

async function vpcOf(ec2: EC2Client, eniIds: string[], instanceIds: string[]): Promise<string | undefined> {
  if (eniIds.length > 0) {
    const enis = await ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: eniIds })).catch(() => undefined);
    const vpcId = enis?.NetworkInterfaces?.find((eni) => eni.VpcId)?.VpcId;
    if (vpcId) return vpcId;
  }
  if (instanceIds.length === 0) return undefined;
  const result = await ec2.send(new DescribeInstancesCommand({ InstanceIds: instanceIds })).catch(() => undefined);
  return result?.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.VpcId)?.VpcId;
}

async function removeLeftoverRoutes(ec2: EC2Client, vpcId: string, pairTargets: Set<string>): Promise<RouteCleanup[]> {
  const leftovers: Array<Omit<RouteCleanup, 'outcome'>> = [];
  const pages = paginateDescribeRouteTables({ client: ec2 }, { Filters: [{ Name: 'vpc-id', Values: [vpcId] }] });
  for await (const page of pages) {
    for (const table of page.RouteTables ?? []) {
      for (const route of table.Routes ?? []) {
        const target = [route.NetworkInterfaceId, route.InstanceId].find((id) => id && pairTargets.has(id));
        if (target && table.RouteTableId && route.DestinationCidrBlock) {
          leftovers.push({ routeTableId: table.RouteTableId, destination: route.DestinationCidrBlock, target });
        }
      }
    }
  }
  return Promise.all(
    leftovers.map(async (route): Promise<RouteCleanup> => {
      try {
        await ec2.send(new DeleteRouteCommand({ RouteTableId: route.routeTableId, DestinationCidrBlock: route.destination }));
        return { ...route, outcome: 'removed' };
      } catch (error) {
        const explained = explainError(error);
        return { ...route, outcome: 'failed', error: `${explained.code}: ${explained.message}` };
      }
    }),
  );
}
