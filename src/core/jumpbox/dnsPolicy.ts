/**
 * Which DNS names AWS Ops may write for a jumpbox. The name comes from a tag, and whoever can tag an instance
 * is not necessarily allowed to repoint www.example.com: AWS Ops writes only plain host names (no apex,
 * wildcard or escaped name) inside the hosted zones the user listed in the `awsops.dnsZones` setting, and a
 * private zone only when it is listed by its id.
 */
import type { HostedZoneInfo } from './dns';
import { ownershipRecordName } from './dnsOwnership';

export const DNS_ZONES_SETTING = 'awsops.dnsZones';

/** Letters, digits and inner hyphens, 1–63 characters (RFC 1123). */
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** DNS's limit for a name, which the ownership TXT record's name must meet too. */
const MAX_NAME_LENGTH = 253 - ownershipRecordName('').length;

/** Why the awsops:dns tag value is not a plain host name AWS Ops may write, or undefined when it is one. */
export function hostNameProblem(tagValue: string): string | undefined {
  const name = tagValue.trim().replace(/\.$/, '').toLowerCase();
  if (name.includes('\\')) return `"${tagValue}" contains an escape (\\ddd): AWS Ops only writes plain host names.`;
  if (name.includes('*')) return `"${tagValue}" is a wildcard name: AWS Ops only writes plain host names.`;
  if (name.length > MAX_NAME_LENGTH) return `"${tagValue}" is longer than ${MAX_NAME_LENGTH} characters.`;
  const labels = name.split('.');
  if (labels.length < 2) return `"${tagValue}" is not a fully qualified host name such as jump.example.com.`;
  const bad = labels.find((label) => !HOST_LABEL.test(label));
  if (bad !== undefined) {
    return `"${tagValue}" is not a plain host name: label "${bad}" may hold only letters, digits and inner hyphens (1–63 characters).`;
  }
  return undefined;
}

/** Whether the setting lists `zone`: by id (with or without /hostedzone/), or, for a public zone, by name. */
export function zoneListed(zone: HostedZoneInfo, listed: readonly string[]): boolean {
  return listed.some((entry) => {
    const value = entry.trim().replace(/^\/?hostedzone\//i, '');
    return value.toUpperCase() === zone.id.toUpperCase() || (!zone.privateZone && value.replace(/\.$/, '').toLowerCase() === zone.name);
  });
}

/** Why AWS Ops may not write `name` (normalised) in `zone`, or undefined when it may. */
export function zoneProblem(name: string, zone: HostedZoneInfo, listed: readonly string[]): string | undefined {
  if (name === zone.name) return `${name} is the apex of hosted zone ${zone.name}: AWS Ops never writes a zone's apex.`;
  if (zoneListed(zone, listed)) return undefined;
  const entry = zone.privateZone ? `its id ${zone.id} (a private zone is only written when listed by id)` : `${zone.name} or ${zone.id}`;
  return `Hosted zone ${zone.name} is not in setting ${DNS_ZONES_SETTING}: add ${entry} to let AWS Ops manage ${name}.`;
}
