/**
 * Which A records AWS Ops owns, the way external-dns keeps its registry: beside each A record it writes, e.g.
 * jump.example.com, a TXT record _awsops.jump.example.com = "heritage=aws-ops,aws-ops/owner=<instance id>".
 * A name of its own, because the host's own name may already carry the user's TXT records (SPF, site
 * verification). AWS Ops changes or deletes only an A record whose TXT names the jumpbox; any other existing
 * record needs the user's explicit yes. Each change is one ChangeBatch whose DELETEs carry the values just
 * read, so Route53 rejects it as a whole if either record changed in between.
 */
import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';

export const OWNERSHIP_LABEL = '_awsops';
export const RECORD_TTL_SECONDS = 60;

export function ownershipRecordName(name: string): string {
  return `${OWNERSHIP_LABEL}.${name}`;
}

export function ownershipValue(instanceId: string): string {
  return `"heritage=aws-ops,aws-ops/owner=${instanceId}"`;
}

/** The A record at a name and the TXT record at its ownership name, as Route53 lists them. */
export interface RecordPair {
  a?: ResourceRecordSet;
  txt?: ResourceRecordSet;
}

/** The instance the ownership TXT names, or undefined when there is none or it is not AWS Ops'. */
export function ownerOf(txt: ResourceRecordSet | undefined): string | undefined {
  for (const record of txt?.ResourceRecords ?? []) {
    const fields = (record.Value ?? '').replace(/^"|"$/g, '').split(',').map((field) => field.trim());
    const owner = fields.find((field) => field.startsWith('aws-ops/owner='));
    if (fields.includes('heritage=aws-ops') && owner) return owner.slice('aws-ops/owner='.length);
  }
  return undefined;
}

/** Why a record is not a jumpbox's to change without asking, from the owner its TXT names (if any). */
export function ownership(owner: string | undefined): string {
  return owner ? `managed by AWS Ops for ${owner}` : 'not managed by AWS Ops';
}

export function recordIps(record: ResourceRecordSet | undefined): string[] {
  return (record?.ResourceRecords ?? []).map((r) => r.Value ?? '');
}

/** An alias or a routing-policy (weighted, latency…) record is part of someone's design: never ours to rewrite. */
export function isPlainRecord(record: ResourceRecordSet): boolean {
  return record.AliasTarget === undefined && record.SetIdentifier === undefined;
}

export type PointPlan =
  | { kind: 'in-sync' }
  | { kind: 'left-alone'; reason: string }
  /** The record is ours, or the name is free. */
  | { kind: 'write'; changes: Change[] }
  /** A record (or a claim) that is not this jumpbox's: written only after the user says yes. */
  | { kind: 'takeover'; changes: Change[]; currentIps: string[]; owner?: string };

/** What pointing `name` at `ip` for jumpbox `instanceId` takes, given the records just read. */
export function planPointAt(pair: RecordPair, name: string, instanceId: string, ip: string): PointPlan {
  const { a, txt } = pair;
  if (a && !isPlainRecord(a)) return { kind: 'left-alone', reason: `${name} is an alias or routing-policy record: AWS Ops leaves it alone` };
  const owner = ownerOf(txt);
  const ours = owner === instanceId;
  if (ours && a && a.TTL === RECORD_TTL_SECONDS && recordIps(a).join() === ip) return { kind: 'in-sync' };
  const changes: Change[] = [
    ...(a ? [{ Action: 'DELETE' as const, ResourceRecordSet: a }] : []),
    { Action: 'CREATE', ResourceRecordSet: { Name: name, Type: 'A', TTL: RECORD_TTL_SECONDS, ResourceRecords: [{ Value: ip }] } },
    ...(ours ? [] : claim(pair, name, instanceId)),
  ];
  if (ours || (!a && !txt)) return { kind: 'write', changes };
  return { kind: 'takeover', changes, currentIps: recordIps(a), owner };
}

/** The changes that remove what `instanceId` owns at the pair: none when the records are not its own. */
export function planRelease(pair: RecordPair, instanceId: string): Change[] {
  if (!pair.txt || ownerOf(pair.txt) !== instanceId) return [];
  const a = pair.a && isPlainRecord(pair.a) ? [pair.a] : [];
  return [...a, pair.txt].map((record) => ({ Action: 'DELETE', ResourceRecordSet: record }));
}

function claim(pair: RecordPair, name: string, instanceId: string): Change[] {
  const txt = { Name: ownershipRecordName(name), Type: 'TXT' as const, TTL: RECORD_TTL_SECONDS, ResourceRecords: [{ Value: ownershipValue(instanceId) }] };
  return [...(pair.txt ? [{ Action: 'DELETE' as const, ResourceRecordSet: pair.txt }] : []), { Action: 'CREATE', ResourceRecordSet: txt }];
}
