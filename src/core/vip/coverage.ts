/** Which subnets a route table serves, and how messages name a table by those subnets (pure). */

export interface SubnetRef {
  subnetId: string;
  /** The subnet's Name tag. */
  name?: string;
}

/** A route table's own associations, as DescribeRouteTables lists them. */
export interface TableAssociations {
  routeTableId: string;
  isMain: boolean;
  explicitSubnetIds: readonly string[];
}

/** A route table with the subnets whose traffic it routes. */
export interface ServingTable {
  routeTableId: string;
  routeTableName?: string;
  isMain: boolean;
  subnets: readonly SubnetRef[];
}

/** Past this many subnets a table's description says "and N more": a main table may serve dozens. */
const SUBNETS_NAMED = 5;

/**
 * The subnets whose traffic each table routes: its explicit associations, and for the main table also every
 * subnet of the VPC that has none (EC2 lists no association for those). A table serving no subnet routes nothing.
 */
export function servedSubnetIds(tables: readonly TableAssociations[], vpcSubnetIds: readonly string[]): Map<string, string[]> {
  const explicit = new Set(tables.flatMap((t) => t.explicitSubnetIds));
  const implicit = vpcSubnetIds.filter((id) => !explicit.has(id));
  return new Map(tables.map((t) => [t.routeTableId, t.isMain ? [...t.explicitSubnetIds, ...implicit] : [...t.explicitSubnetIds]]));
}

/** "private-c (rtb-1), used by app-c (subnet-1) and subnet-2; the main table rtb-9, used by subnet-3". */
export function describeServingTables(tables: readonly ServingTable[]): string {
  return tables.map((t) => `${tableLabel(t)}, used by ${subnetList(t.subnets)}`).join('; ');
}

/** "app-c (subnet-1), subnet-2 and 4 more": every subnet named up to a few, then a count. */
export function subnetList(subnets: readonly SubnetRef[]): string {
  const named = subnets.slice(0, SUBNETS_NAMED).map((s) => (s.name ? `${s.name} (${s.subnetId})` : s.subnetId));
  const more = subnets.length - named.length;
  if (more > 0) named.push(`${more} more`);
  return named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : (named[0] ?? 'no subnet');
}

/** Every distinct subnet of the tables, in their order. */
export function subnetsOf(tables: readonly ServingTable[]): SubnetRef[] {
  return [...new Map(tables.flatMap((t) => t.subnets).map((s) => [s.subnetId, s])).values()];
}

function tableLabel(t: ServingTable): string {
  if (t.isMain) return t.routeTableName ? `the main table ${t.routeTableName} (${t.routeTableId})` : `the main table ${t.routeTableId}`;
  return t.routeTableName ? `${t.routeTableName} (${t.routeTableId})` : t.routeTableId;
}
