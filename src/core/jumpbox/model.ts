/** Plain data about jumpboxes, as discovery returns it and the view shows it. */
import type { AccountRef } from '../fleet/model';
import type { ExplainedError } from '../session/errors';

export const DEFAULT_JUMPBOX_TAG_KEY = 'awsops:jumpbox';

/** Per-instance configuration lives in tags, so it travels with the instance and needs no local state. */
export const JUMPBOX_TAGS = {
  dns: 'awsops:dns',
  hostedZone: 'awsops:hosted-zone',
  schedule: 'awsops:schedule',
} as const;

export interface JumpboxInfo {
  /** Set when several accounts are shown: whose jumpbox (its commands sign in as that account). */
  account?: AccountRef;
  region: string;
  instanceId: string;
  name?: string;
  /** EC2 state name: pending, running, stopping, stopped, shutting-down, terminated. */
  state: string;
  instanceType?: string;
  /** DescribeInstances' PlatformDetails, used to price the instance. */
  platformDetails?: string;
  availabilityZone?: string;
  publicIp?: string;
  privateIp?: string;
  launchTime?: Date;
  /** From tag awsops:dns: the A record that should follow the public IP. */
  dnsName?: string;
  /** From tag awsops:hosted-zone: a zone id or name that overrides the longest-suffix choice. */
  hostedZone?: string;
  /** Raw text of tag awsops:schedule (parse with parseSchedule). */
  scheduleText?: string;
  /** Raw text of Cloud Custodian's maid_offhours tag (parse with parseCustodianTag). */
  custodianText?: string;
  tags: Record<string, string>;
}

/** "name (i-…)", or the id of an unnamed instance. */
export function jumpboxLabel(jumpbox: Pick<JumpboxInfo, 'instanceId' | 'name'>): string {
  return jumpbox.name ? `${jumpbox.name} (${jumpbox.instanceId})` : jumpbox.instanceId;
}

/** A region either answered or failed; one failing region never hides the others. */
export type JumpboxRegionResult =
  | { region: string; ok: true; jumpboxes: JumpboxInfo[] }
  | { region: string; ok: false; error: ExplainedError };
