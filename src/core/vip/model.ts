/** Plain data describing one region's VIP routes, as discovery returns it and the views show it. */
import type { AccountRef } from '../fleet/model';

export type RouteTargetKind = 'instance' | 'eni';

export interface InstanceInfo {
  instanceId: string;
  name?: string;
  state: string;
  availabilityZone?: string;
  subnetId?: string;
  vpcId?: string;
  privateIp?: string;
  publicIp?: string;
  instanceType?: string;
  sourceDestCheck?: boolean;
  imdsv2Required?: boolean;
  instanceProfileArn?: string;
  primaryEniId?: string;
  tags: Record<string, string>;
}

export interface EniInfo {
  eniId: string;
  status: string;
  attachedInstanceId?: string;
  sourceDestCheck?: boolean;
  privateIp?: string;
  subnetId?: string;
  availabilityZone?: string;
}

/** An Elastic IP, as DescribeAddresses tells it: associated (with an instance, or an ENI and one of its private IPs) or not. */
export interface ElasticIpInfo {
  allocationId: string;
  publicIp: string;
  associationId?: string;
  instanceId?: string;
  eniId?: string;
  privateIp?: string;
  tags: Record<string, string>;
}

export interface RouteTarget {
  kind: RouteTargetKind;
  /** The instance or ENI id the route names. */
  id: string;
  /** The instance behind the target (the instance itself, or the ENI's attachment). */
  instanceId?: string;
  /** The ENI that receives the traffic, when EC2 names it (always for an ENI target; real EC2 often adds it to instance targets). */
  eniId?: string;
}

export interface VipRoute {
  routeTableId: string;
  routeTableName?: string;
  /** AZs of the subnets associated with the table (empty for an unassociated non-main table). */
  availabilityZones: string[];
  isMain: boolean;
  target: RouteTarget;
  state: 'active' | 'blackhole' | string;
}

export type DiagnosticKind =
  | 'split-brain'
  | 'blackhole'
  | 'partial-coverage'
  | 'vip-inside-cidr'
  | 'source-dest-check';

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  kind: DiagnosticKind;
  severity: Severity;
  /** One line a user understands without reading the docs. */
  message: string;
  routeTableIds?: string[];
}

export interface Vip {
  /** The destination as written in the route, e.g. 192.168.55.100/32. */
  cidr: string;
  routes: VipRoute[];
  diagnostics: Diagnostic[];
}

export interface RouteTableInfo {
  routeTableId: string;
  name?: string;
  isMain: boolean;
  /** The account that owns the table (the VPC owner's, for a shared VPC): part of its ARN. */
  ownerId?: string;
  /** Subnets whose traffic the table routes: its explicit associations, plus for the main table every subnet without one. */
  subnetIds: string[];
}

export interface VpcInfo {
  vpcId: string;
  name?: string;
  cidrs: string[];
  routeTables: RouteTableInfo[];
  vips: Vip[];
}

export interface RegionSnapshot {
  region: string;
  vpcs: VpcInfo[];
  instances: Record<string, InstanceInfo>;
  enis: Record<string, EniInfo>;
  subnets: Record<string, {
    availabilityZone: string;
    vpcId: string;
    cidr?: string;
    /** The Name tag. */
    name?: string;
    /** The table routing its traffic sends 0.0.0.0/0 to an internet gateway: an Elastic IP on a node here is reachable. */
    public?: boolean;
  }>;
  /** The region's Elastic IPs; absent when they could not be read (the routes still show). */
  addresses?: ElasticIpInfo[];
}

/** A region either answered or failed; one failing region never hides the others. */
export type RegionResult = (
  | { region: string; ok: true; snapshot: RegionSnapshot }
  | { region: string; ok: false; error: { code: string; message: string; hint: string } }
) & {
  /** Set when several accounts are shown: whose region this is. */
  account?: AccountRef;
};
