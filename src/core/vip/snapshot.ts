import type { Address, Instance, NetworkInterface, Route, RouteTable, Subnet, Tag, Vpc } from '@aws-sdk/client-ec2';
import { isHostCidr, parseCidr } from '../net/cidr';
import { servedSubnetIds, type TableAssociations } from './coverage';
import { diagnoseVip } from './diagnostics';
import type { ElasticIpInfo, EniInfo, InstanceInfo, RegionSnapshot, RouteTableInfo, RouteTarget, Vip, VpcInfo } from './model';

/** What one refresh fetched from EC2, as the SDK returned it. */
export interface RawRegion {
  region: string;
  vpcs: Vpc[];
  routeTables: RouteTable[];
  subnets: Subnet[];
  instances: Instance[];
  networkInterfaces: NetworkInterface[];
  /** Absent: DescribeAddresses failed (e.g. not allowed); the routes still show. */
  addresses?: Address[];
}

/** The instances and ENIs that VIP routes name, i.e. what a refresh has to describe after the route tables. */
export function vipTargetIds(routeTables: readonly RouteTable[]): { instanceIds: string[]; eniIds: string[] } {
  const instanceIds = new Set<string>();
  const eniIds = new Set<string>();
  for (const table of routeTables) {
    for (const route of table.Routes ?? []) {
      const target = vipTarget(route);
      if (target?.kind === 'instance') instanceIds.add(target.id);
      if (target?.kind === 'eni') eniIds.add(target.id);
    }
  }
  return { instanceIds: [...instanceIds], eniIds: [...eniIds] };
}

/** Turns the raw EC2 answers into the view model, VIPs grouped by VPC, each with its diagnostics (pure). */
export function buildSnapshot(raw: RawRegion): RegionSnapshot {
  const subnets: RegionSnapshot['subnets'] = {};
  for (const s of raw.subnets) {
    if (s.SubnetId && s.VpcId) subnets[s.SubnetId] = { availabilityZone: s.AvailabilityZone ?? '', vpcId: s.VpcId, cidr: s.CidrBlock, name: tagMap(s.Tags).Name };
  }
  const instances: Record<string, InstanceInfo> = {};
  const enis: Record<string, EniInfo> = {};
  for (const instance of raw.instances) {
    if (!instance.InstanceId) continue;
    instances[instance.InstanceId] = instanceInfo(instance);
    for (const eni of instance.NetworkInterfaces ?? []) {
      if (!eni.NetworkInterfaceId) continue;
      enis[eni.NetworkInterfaceId] = {
        eniId: eni.NetworkInterfaceId,
        status: eni.Status ?? 'unknown',
        attachedInstanceId: instance.InstanceId,
        sourceDestCheck: eni.SourceDestCheck,
        privateIp: eni.PrivateIpAddress,
        subnetId: eni.SubnetId,
        availabilityZone: eni.SubnetId ? subnets[eni.SubnetId]?.availabilityZone : undefined,
      };
    }
  }
  // ENIs described for ENI targets replace what the instance listing said: they carry the AZ and the attachment state.
  for (const eni of raw.networkInterfaces) {
    if (eni.NetworkInterfaceId) enis[eni.NetworkInterfaceId] = eniInfo(eni);
  }

  const snapshot: RegionSnapshot = { region: raw.region, vpcs: [], instances, enis, subnets, addresses: raw.addresses?.flatMap(addressInfo) };
  const tablesByVpc = groupBy(raw.routeTables, (t) => t.VpcId ?? '');
  const subnetIdsByVpc = groupBy(Object.keys(subnets), (id) => subnets[id].vpcId);
  snapshot.vpcs = raw.vpcs
    .filter((v) => v.VpcId)
    .map((v) => vpcInfo(v, tablesByVpc.get(v.VpcId as string) ?? [], subnetIdsByVpc.get(v.VpcId as string) ?? [], snapshot))
    .sort((a, b) => byLabel(a.name, a.vpcId, b.name, b.vpcId));
  for (const vpc of snapshot.vpcs) {
    for (const vip of vpc.vips) vip.diagnostics = diagnoseVip(vip, vpc, snapshot);
  }
  markPublicSubnets(snapshot, raw.routeTables);
  return snapshot;
}

/** A subnet is public when the table that routes it (its own, or the main one) sends 0.0.0.0/0 to an internet gateway. */
function markPublicSubnets(snapshot: RegionSnapshot, tables: readonly RouteTable[]): void {
  const toInternet = new Set(tables.filter((t) => (t.Routes ?? []).some((r) => r.DestinationCidrBlock === '0.0.0.0/0' && r.GatewayId?.startsWith('igw-') && r.State !== 'blackhole')).map((t) => t.RouteTableId));
  for (const vpc of snapshot.vpcs) {
    for (const table of vpc.routeTables) {
      for (const id of table.subnetIds) if (snapshot.subnets[id]) snapshot.subnets[id].public = toInternet.has(table.routeTableId);
    }
  }
}

function addressInfo(a: Address): ElasticIpInfo[] {
  if (!a.AllocationId || !a.PublicIp) return [];
  return [{
    allocationId: a.AllocationId,
    publicIp: a.PublicIp,
    associationId: a.AssociationId,
    instanceId: a.InstanceId || undefined,
    eniId: a.NetworkInterfaceId,
    privateIp: a.PrivateIpAddress,
    tags: tagMap(a.Tags),
  }];
}

function vpcInfo(vpc: Vpc, tables: RouteTable[], vpcSubnetIds: string[], snapshot: RegionSnapshot): VpcInfo {
  const known = tables.filter((t) => t.RouteTableId);
  const associations = known.map(tableAssociations);
  const served = servedSubnetIds(associations, vpcSubnetIds);
  const routeTables: RouteTableInfo[] = known
    .map((t, i) => ({ routeTableId: associations[i].routeTableId, name: tagMap(t.Tags).Name, isMain: associations[i].isMain, ownerId: t.OwnerId, subnetIds: served.get(associations[i].routeTableId) ?? [] }))
    .sort((a, b) => byLabel(a.name, a.routeTableId, b.name, b.routeTableId));
  const rawById = new Map(tables.map((t) => [t.RouteTableId, t]));

  // Routes follow the tables' display order.
  const vips = new Map<string, Vip>();
  for (const info of routeTables) {
    const table = rawById.get(info.routeTableId) as RouteTable;
    const availabilityZones = [...new Set(info.subnetIds.map((id) => snapshot.subnets[id]?.availabilityZone ?? ''))].filter(Boolean).sort();
    for (const route of table.Routes ?? []) {
      const target = vipTarget(route);
      if (!target) continue;
      if (target.kind === 'eni') target.instanceId = snapshot.enis[target.id]?.attachedInstanceId;
      const cidr = (route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock) as string;
      const vip = vips.get(cidr) ?? { cidr, routes: [], diagnostics: [] };
      vip.routes.push({
        routeTableId: info.routeTableId,
        routeTableName: info.name,
        availabilityZones,
        isMain: info.isMain,
        target,
        state: route.State ?? 'active',
      });
      vips.set(cidr, vip);
    }
  }
  return {
    vpcId: vpc.VpcId as string,
    name: tagMap(vpc.Tags).Name,
    cidrs: vpcCidrs(vpc),
    routeTables,
    vips: [...vips.values()].sort(byAddress),
  };
}

function tableAssociations(table: RouteTable): TableAssociations {
  const associations = table.Associations ?? [];
  return {
    routeTableId: table.RouteTableId as string,
    isMain: associations.some((a) => a.Main),
    explicitSubnetIds: associations.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
  };
}

/** A VIP route is a single-address destination sent to an instance or an ENI. */
function vipTarget(route: Route): RouteTarget | undefined {
  const destination = route.DestinationCidrBlock ?? route.DestinationIpv6CidrBlock;
  if (!destination || !isHostCidr(destination)) return undefined;
  if (route.InstanceId) return { kind: 'instance', id: route.InstanceId, instanceId: route.InstanceId, eniId: route.NetworkInterfaceId };
  if (route.NetworkInterfaceId) return { kind: 'eni', id: route.NetworkInterfaceId, eniId: route.NetworkInterfaceId };
  return undefined;
}

function instanceInfo(i: Instance): InstanceInfo {
  const tags = tagMap(i.Tags);
  return {
    instanceId: i.InstanceId as string,
    name: tags.Name,
    state: i.State?.Name ?? 'unknown',
    availabilityZone: i.Placement?.AvailabilityZone,
    subnetId: i.SubnetId,
    vpcId: i.VpcId,
    privateIp: i.PrivateIpAddress,
    publicIp: i.PublicIpAddress,
    instanceType: i.InstanceType,
    sourceDestCheck: i.SourceDestCheck,
    imdsv2Required: i.MetadataOptions ? i.MetadataOptions.HttpTokens === 'required' : undefined,
    instanceProfileArn: i.IamInstanceProfile?.Arn,
    primaryEniId: i.NetworkInterfaces?.find((n) => n.Attachment?.DeviceIndex === 0)?.NetworkInterfaceId,
    tags,
  };
}

function eniInfo(n: NetworkInterface): EniInfo {
  const attached = n.Attachment?.Status === 'attached' || n.Attachment?.Status === 'attaching';
  return {
    eniId: n.NetworkInterfaceId as string,
    status: n.Status ?? 'unknown',
    attachedInstanceId: attached ? n.Attachment?.InstanceId : undefined,
    sourceDestCheck: n.SourceDestCheck,
    privateIp: n.PrivateIpAddress,
    subnetId: n.SubnetId,
    availabilityZone: n.AvailabilityZone,
  };
}

function vpcCidrs(vpc: Vpc): string[] {
  const associated = (state?: string) => state === undefined || state === 'associated';
  const v4 = (vpc.CidrBlockAssociationSet ?? []).filter((a) => associated(a.CidrBlockState?.State)).map((a) => a.CidrBlock);
  const v6 = (vpc.Ipv6CidrBlockAssociationSet ?? []).filter((a) => associated(a.Ipv6CidrBlockState?.State)).map((a) => a.Ipv6CidrBlock);
  const cidrs = [...v4, ...v6].filter(Boolean) as string[];
  return cidrs.length > 0 || !vpc.CidrBlock ? cidrs : [vpc.CidrBlock];
}

function tagMap(tags: Tag[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key) map[tag.Key] = tag.Value ?? '';
  return map;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function byLabel(nameA: string | undefined, idA: string, nameB: string | undefined, idB: string): number {
  return (nameA ?? idA).localeCompare(nameB ?? idB) || idA.localeCompare(idB);
}

/** IPv4 before IPv6, then by numeric address, so 10.0.0.9 sorts before 10.0.0.10. */
function byAddress(a: Vip, b: Vip): number {
  const ca = parseCidr(a.cidr);
  const cb = parseCidr(b.cidr);
  if (!ca || !cb) return a.cidr.localeCompare(b.cidr);
  if (ca.version !== cb.version) return ca.version - cb.version;
  return ca.network < cb.network ? -1 : ca.network > cb.network ? 1 : 0;
}
