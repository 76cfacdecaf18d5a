import type { RegionSnapshot } from './model';

/**
 * The instances and ENIs a region's VIP routes named at its last discovery. The next discovery describes them
 * beside the route tables, so a region whose targets did not change answers in one round trip instead of two.
 * Only a prediction: what the routes name now decides what is described and shown.
 */
export interface TargetHint {
  instanceIds: string[];
  eniIds: string[];
}

/** A hint asks at most this many ids of each kind (a stored hint is not trusted to stay small). */
export const MAX_HINT_IDS = 1000;

const INSTANCE_ID = /^i-[0-9a-f]{8,17}$/;
const ENI_ID = /^eni-[0-9a-f]{8,17}$/;

/**
 * What the next discovery of this region should describe early: every ENI a VIP route names, and every instance
 * behind a VIP route (directly or through its ENI) except the pair nodes the tag listing returns anyway.
 */
export function targetHintOf(snapshot: RegionSnapshot, pairTagKey?: string): TargetHint {
  const instanceIds = new Set<string>();
  const eniIds = new Set<string>();
  for (const route of snapshot.vpcs.flatMap((v) => v.vips.flatMap((vip) => vip.routes))) {
    const { kind, id, instanceId } = route.target;
    if (kind === 'eni') eniIds.add(id);
    const listed = pairTagKey !== undefined && snapshot.instances[instanceId ?? '']?.tags[pairTagKey] !== undefined;
    if (instanceId && !listed) instanceIds.add(instanceId);
  }
  return { instanceIds: [...instanceIds].sort(), eniIds: [...eniIds].sort() };
}

/** A hint read back from storage, or undefined when it is not one: ids of the wrong shape are dropped, the rest capped. */
export function parseTargetHint(value: unknown): TargetHint | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { instanceIds, eniIds } = value as Record<string, unknown>;
  const ids = (list: unknown, shape: RegExp) => (Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string' && shape.test(id)).slice(0, MAX_HINT_IDS) : []);
  return { instanceIds: ids(instanceIds, INSTANCE_ID), eniIds: ids(eniIds, ENI_ID) };
}
