import { AssociateAddressCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { explainError } from '../session/errors';
import { mapBounded } from './bounded';
import { associationRoute, holderOf, readAddresses, type EipHolder } from './eipReads';
import type { NodeRead } from './reads';
import { readUntilStable, type FinalRoute, type ReadTiming } from './stableReads';

/** One Elastic IP of the pair, from where planning found it to the target node's primary ENI and private IP. */
export interface EipStep {
  allocationId: string;
  publicIp: string;
  /** move: associate it with the target; none: it is there already. */
  action: 'move' | 'none';
  from: EipHolder;
  to: Required<Pick<EipHolder, 'eniId' | 'instanceId'>> & { privateIp?: string };
}

export type EipOutcome = 'moved' | 'already-there' | 'rolled-back' | 'failed' | 'skipped';

export interface EipReport {
  allocationId: string;
  publicIp: string;
  outcome: EipOutcome;
  reason?: string;
  final: FinalRoute;
  verified: boolean;
  reads?: FinalRoute[];
}

/** moved: every Elastic IP verified on the target; rolled-back: verified back where it was; unverified: some never read stable. */
export interface EipResult {
  result: 'moved' | 'rolled-back' | 'unverified';
  addresses: EipReport[];
  notes: string[];
}

/**
 * The moves of the pair's Elastic IPs to `toInstanceId` (pure): each goes to the target's primary ENI and
 * primary private IP, wherever it was on the other node (a secondary IP included), as keepalived's notify
 * script does. A target without a known primary ENI leaves `to.eniId` empty (preflight refuses it).
 */
export function planEipMoves(addresses: ReadonlyMap<string, { publicIp: string; holder: EipHolder }>, nodes: Record<string, NodeRead>, toInstanceId: string): EipStep[] {
  const target = nodes[toInstanceId];
  return [...addresses].map(([allocationId, { publicIp, holder }]) => ({
    allocationId,
    publicIp,
    action: holder.instanceId === toInstanceId ? 'none' : 'move',
    from: holder,
    to: { instanceId: toInstanceId, eniId: target?.primaryEniId ?? '', privateIp: target?.privateIp },
  }));
}

/**
 * Moves the Elastic IPs (each only while it is still where planning found it), verifies by stable
 * DescribeAddresses read-backs, and when one cannot move, puts back the ones that did and verifies again.
 */
export async function moveEips(ec2: EC2Client, steps: readonly EipStep[], nodes: Record<string, NodeRead>, timing: ReadTiming): Promise<EipResult> {
  const notes: string[] = [];
  const attempts = new Map<EipStep, { kind: 'moved' | 'already' | 'none' } | { kind: 'refused' | 'uncertain'; reason: string }>();
  await mapBounded([...steps], 4, async (step) => {
    attempts.set(step, step.action === 'none' ? { kind: 'none' } : await associateIfStill(ec2, nodes, step, step.from, step.to));
  });
  let seen = await verify(ec2, steps, nodes, timing);
  const at = (s: EipStep, node: string | undefined) => seen.get(s)?.verified === true && nodeAt(seen.get(s)?.final) === node;
  if (steps.every((s) => at(s, s.to.instanceId))) return result('moved');
  const failed = steps.some((s) => ['refused', 'uncertain'].includes(attempts.get(s)?.kind ?? '') || (seen.get(s)?.verified && !at(s, s.to.instanceId)));
  if (!failed) return result('unverified');
  notes.push(...steps.flatMap((s) => {
    const a = attempts.get(s);
    return a && 'reason' in a ? [`Elastic IP ${s.publicIp} could not move: ${a.reason}.`] : [];
  }));
  const back = steps.filter((s) => ['moved', 'uncertain'].includes(attempts.get(s)?.kind ?? '') && nodeAt(seen.get(s)?.final) === s.to.instanceId);
  seen = await putBack(ec2, back, steps, nodes, timing, notes);
  const restored = steps.every((s) => seen.get(s)?.verified && (!back.includes(s) || nodeAt(seen.get(s)?.final) === s.from.instanceId));
  return result(restored ? 'rolled-back' : 'unverified');

  function result(kind: EipResult['result']): EipResult {
    return { result: kind, notes, addresses: steps.map((s) => report(s, seen.get(s), attempts.get(s), kind)) };
  }
}

/** Puts Elastic IPs this run moved back where they were (after the routes failed and were rolled back), verified. */
export async function restoreEips(ec2: EC2Client, steps: readonly EipStep[], nodes: Record<string, NodeRead>, timing: ReadTiming): Promise<EipResult> {
  const notes: string[] = [];
  const moved = steps.filter((s) => s.action === 'move');
  const seen = await putBack(ec2, moved, steps, nodes, timing, notes);
  const restored = steps.every((s) => seen.get(s)?.verified && (s.action === 'none' || nodeAt(seen.get(s)?.final) === s.from.instanceId));
  const kind = restored ? 'rolled-back' : 'unverified';
  return { result: kind, notes, addresses: steps.map((s) => report(s, seen.get(s), { kind: s.action === 'none' ? 'none' : 'moved' }, kind)) };
}

async function putBack(ec2: EC2Client, back: readonly EipStep[], all: readonly EipStep[], nodes: Record<string, NodeRead>, timing: ReadTiming, notes: string[]) {
  await mapBounded([...back], 4, async (step) => {
    if (!step.from.eniId) return;
    const undone = await associateIfStill(ec2, nodes, step, { instanceId: step.to.instanceId, eniId: step.to.eniId }, { instanceId: step.from.instanceId as string, eniId: step.from.eniId, privateIp: step.from.privateIp });
    if ('reason' in undone) notes.push(`Elastic IP ${step.publicIp} could not be put back: ${undone.reason}.`);
  });
  return verify(ec2, all, nodes, timing);
}

/** Associates the address with `to` only while it is on `expect`'s node (EC2 has no conditional associate: one round trip of window). */
async function associateIfStill(ec2: EC2Client, nodes: Record<string, NodeRead>, step: EipStep, expect: EipHolder, to: EipStep['to']) {
  let current;
  try {
    current = (await readAddresses(ec2, [step.allocationId])).get(step.allocationId);
  } catch (error) {
    return { kind: 'refused' as const, reason: (error as Error).message };
  }
  if (current === undefined || current === 'vanished') return { kind: 'refused' as const, reason: 'the Elastic IP was released' };
  const now = holderOf(current, nodes);
  if (now.instanceId === to.instanceId) return { kind: 'already' as const };
  if (now.instanceId !== expect.instanceId) return { kind: 'refused' as const, reason: `changed by someone else: now on ${now.instanceId ?? now.eniId ?? 'nothing'}` };
  try {
    await ec2.send(new AssociateAddressCommand({ AllocationId: step.allocationId, NetworkInterfaceId: to.eniId, PrivateIpAddress: to.privateIp, AllowReassociation: true }));
    return { kind: 'moved' as const };
  } catch (error) {
    const e = explainError(error);
    return { kind: 'uncertain' as const, reason: `${e.code}: ${e.message}` };
  }
}

function verify(ec2: EC2Client, steps: readonly EipStep[], nodes: Record<string, NodeRead>, timing: ReadTiming) {
  return readUntilStable(steps, async () => {
    const read = await readAddresses(ec2, steps.map((s) => s.allocationId));
    return new Map(steps.map((s) => [s, associationRoute(read.get(s.allocationId) ?? 'vanished', nodes)]));
  }, timing);
}

function nodeAt(final: FinalRoute | undefined): string | undefined {
  return final?.kind === 'route' ? final.node : undefined;
}

function report(step: EipStep, seen: { final: FinalRoute; verified: boolean; reads: FinalRoute[] } | undefined, attempt: { kind: string; reason?: string } | undefined, result: EipResult['result']): EipReport {
  const final = seen?.final ?? { kind: 'unknown', reason: 'not read' };
  const node = nodeAt(final);
  const base = { allocationId: step.allocationId, publicIp: step.publicIp, final, verified: seen?.verified === true, ...(seen?.verified ? {} : { reads: seen?.reads }) };
  if (node === step.to.instanceId) return { ...base, outcome: attempt?.kind === 'moved' ? 'moved' : 'already-there' };
  if (node === step.from.instanceId && attempt?.kind === 'moved' && result === 'rolled-back') return { ...base, outcome: 'rolled-back' };
  return { ...base, outcome: attempt?.kind === 'none' ? 'already-there' : 'failed', reason: attempt?.reason };
}
