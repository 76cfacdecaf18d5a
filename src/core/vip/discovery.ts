import {
  DescribeAddressesCommand,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeRouteTables,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
  type Filter,
  type Instance,
} from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { explainError, type ExplainedError } from '../session/errors';
import { endpointProblem } from '../session/endpoint';
import type { SessionPool } from '../session/pool';
import { regionProblem } from '../session/regions';
import type { AwsSession, SessionSpec } from '../session/session';
import type { RegionResult, RegionSnapshot } from './model';
import { buildSnapshot, vipTargetIds } from './snapshot';
import type { TargetHint } from './targetHints';

export interface DiscoveryOptions {
  /** Only these VPCs; absent or empty means every VPC of the region. */
  vpcIds?: string[];
  /** Aborting cancels the in-flight calls, e.g. when a newer refresh starts. */
  signal?: AbortSignal;
  /**
   * Also describe the instances carrying this tag key (the haproxy pairs' nodes): a BACKUP node is named by
   * no VIP route, yet the Pairs view needs it. The region's Elastic IPs are read too (the pairs' public VIPs).
   */
  pairTagKey?: string;
  /** What the routes named last time (targetHintOf): described beside the route tables, saving a round trip. */
  expectedTargets?: TargetHint;
}

/**
 * Values per id filter. Filters (not InstanceIds/NetworkInterfaceIds) are used because one id that no longer
 * exists would fail a whole id-list call, while a filter just omits it; EC2 accepts 200 values per filter.
 */
const FILTER_VALUES = 200;

/**
 * One region's VIP routes. The number of calls depends on page counts only: VPCs, route tables, subnets and the
 * pair-tagged instances are listed (in parallel), then the ENIs and the other instances the VIP routes name are
 * described in batches (in parallel), then any instance known only through an ENI. With expectedTargets the
 * ENIs and instances are described in the first round already; later rounds ask only for what the hint missed,
 * and what the routes no longer name is dropped, so the snapshot is the same with or without a hint.
 */
export async function discoverRegion(session: AwsSession, options: DiscoveryOptions = {}): Promise<RegionSnapshot> {
  const client = session.client('ec2');
  const sendOptions = { abortSignal: options.signal };
  const Filters = options.vpcIds?.length ? [{ Name: 'vpc-id', Values: options.vpcIds }] : undefined;
  const describeInstances = (filters: Filter[]) =>
    collect(paginateDescribeInstances({ client, pageSize: 1000 }, { Filters: filters }, sendOptions), (p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  const describeEnis = (ids: readonly string[]) => describeByIds(ids, 'network-interface-id', (filters) =>
    collect(paginateDescribeNetworkInterfaces({ client, pageSize: 1000 }, { Filters: filters }, sendOptions), (p) => p.NetworkInterfaces));
  const describeInstanceIds = (ids: readonly string[]) => describeByIds(ids, 'instance-id', describeInstances);
  const hint = options.expectedTargets ?? { instanceIds: [], eniIds: [] };
  // The pairs' public VIPs (Elastic IPs), looked for with the pairs. DescribeAddresses is not paginated; a
  // principal not allowed it still sees its routes (without public VIPs).
  const addresses = options.pairTagKey ? client.send(new DescribeAddressesCommand({}), sendOptions).then((a) => a.Addresses ?? [], () => undefined) : undefined;
  const [vpcs, routeTables, subnets, tagged, hintedEnis, hintedInstances] = await Promise.all([
    collect(paginateDescribeVpcs({ client, pageSize: 1000 }, { Filters }, sendOptions), (p) => p.Vpcs),
    collect(paginateDescribeRouteTables({ client, pageSize: 100 }, { Filters }, sendOptions), (p) => p.RouteTables),
    collect(paginateDescribeSubnets({ client, pageSize: 1000 }, { Filters }, sendOptions), (p) => p.Subnets),
    options.pairTagKey ? describeInstances([{ Name: 'tag-key', Values: [options.pairTagKey] }, ...(Filters ?? [])]) : [],
    describeEnis(hint.eniIds),
    describeInstanceIds(hint.instanceIds),
  ]);

  const targets = vipTargetIds(routeTables);
  // What a listing returned or the hint already asked for is not described twice (an asked id that did not
  // come back no longer exists).
  const asked = new Set([...tagged.map((i) => i.InstanceId), ...hint.instanceIds]);
  const notAsked = (ids: Iterable<string>, before: ReadonlySet<string | undefined>) => [...new Set(ids)].filter((id) => !before.has(id));
  // Instances the routes name are described beside the ENIs; only instances named through an ENI's attachment
  // need a third round trip, and only when no listing returned them yet.
  const [lateEnis, direct] = await Promise.all([describeEnis(notAsked(targets.eniIds, new Set(hint.eniIds))), describeInstanceIds(notAsked(targets.instanceIds, asked))]);
  direct.forEach((i) => asked.add(i.InstanceId));
  const named = new Set(targets.eniIds);
  const networkInterfaces = [...hintedEnis, ...lateEnis].filter((n) => named.has(n.NetworkInterfaceId as string));
  const attachedIds = networkInterfaces.flatMap((n) => (n.Attachment?.InstanceId ? [n.Attachment.InstanceId] : []));
  const late = await describeInstanceIds(notAsked(attachedIds, asked));
  const wanted = new Set([...targets.instanceIds, ...attachedIds]);
  const instances = [...tagged, ...[...hintedInstances, ...direct, ...late].filter((i) => wanted.has(i.InstanceId as string))];
  return buildSnapshot({ region: session.spec.region, vpcs, routeTables, subnets, instances: dedupe(instances), networkInterfaces, addresses: await addresses });
}

export interface RegionsOptions extends Omit<DiscoveryOptions, 'expectedTargets'> {
  /** Each region's hint (DiscoveryOptions.expectedTargets). */
  expectedTargets?: (spec: SessionSpec) => TargetHint | undefined;
}

/**
 * Discovers several regions at once; each fails on its own with an explained error, so one bad region (or
 * profile, endpoint, permission) never hides the others. Rejects only when options.signal aborts.
 */
export async function discoverRegions(
  pool: SessionPool,
  specs: readonly SessionSpec[],
  options: RegionsOptions = {},
): Promise<RegionResult[]> {
  return Promise.all(
    specs.map(async (spec): Promise<RegionResult> => {
      const invalid = settingProblem(spec);
      if (invalid) return { region: spec.region, ok: false, error: invalid };
      try {
        return { region: spec.region, ok: true, snapshot: await discoverRegion(pool.get(spec), { ...options, expectedTargets: options.expectedTargets?.(spec) }) };
      } catch (error) {
        if (options.signal?.aborted) throw error;
        return { region: spec.region, ok: false, error: explainError(error) };
      }
    }),
  );
}

/** The account and identity the session's credentials belong to. */
export async function whoAmI(session: AwsSession, signal?: AbortSignal): Promise<{ account: string; arn: string }> {
  const identity = await session.client('sts').send(new GetCallerIdentityCommand({}), { abortSignal: signal });
  return { account: identity.Account ?? '', arn: identity.Arn ?? '' };
}

/** Settings that cannot work are reported without a network round trip (and without SDK retries). */
function settingProblem(spec: SessionSpec): ExplainedError | undefined {
  const region = regionProblem(spec.region);
  if (region) return { code: 'InvalidRegion', message: region, hint: 'Pick a region with "AWS Ops: Select Regions".' };
  const endpoint = spec.endpointUrl ? endpointProblem(spec.endpointUrl) : undefined;
  if (endpoint) return { code: 'InvalidEndpoint', message: endpoint, hint: 'Correct or clear the awsops.endpointUrl setting.' };
  return undefined;
}

async function collect<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...(items(page) ?? []));
  return all;
}

/** Each instance once: a hinted target may also be a pair node the tag listing returned. */
function dedupe(instances: readonly Instance[]): Instance[] {
  const seen = new Set<string | undefined>();
  return instances.filter((i) => !seen.has(i.InstanceId) && seen.add(i.InstanceId));
}

/** Describes ids through an id filter, FILTER_VALUES at a time, all batches in parallel. */
async function describeByIds<T>(ids: readonly string[], filterName: string, describe: (filters: Filter[]) => Promise<T[]>): Promise<T[]> {
  const batches: Promise<T[]>[] = [];
  for (let i = 0; i < ids.length; i += FILTER_VALUES) {
    batches.push(describe([{ Name: filterName, Values: ids.slice(i, i + FILTER_VALUES) }]));
  }
  return (await Promise.all(batches)).flat();
}
