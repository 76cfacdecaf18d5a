import type { AccountRef } from '../../core/fleet/model';
import type { NodeRole, Pair, PairFlag, PairNode, PairPublicVip, PairVip } from '../../core/pairs/pairs';
import type { NodeServiceReport } from '../../core/pairs/serviceCheck';
import type { ExplainedError } from '../../core/session/errors';
import { failoverProblems, type Readiness } from '../../core/pairs/readiness';
import { escapeMarkdown } from '../../core/text/markdown';
import type { InstanceInfo } from '../../core/vip/model';
import { ERROR_ICON, errorNode, WARNING_ICON, type TreeNode } from '../../plumbing/treeNode';
import { pairKey, placeOf, readinessNode, readinessOf, SUMMARY_ICONS, SUMMARY_TEXT, type PairReadinessFacts } from './readinessModel';

/** One region's pairs as the controller built them from the VIP discovery, or why it could not. */
export type PairRegionView = (
  | { region: string; ok: true; pairs: Pair[]; /** DescribeInstanceStatus failed: the pairs show without status checks. */ statusError?: ExplainedError }
  | { region: string; ok: false; error: ExplainedError }
) & { account?: AccountRef };

/** The last "Check keepalived & haproxy" answer of one node. */
export interface ServiceCheckView {
  report: NodeServiceReport;
  checkedAt: Date;
}

export interface PairsTreeInput {
  regions: readonly PairRegionView[];
  /** Keyed by serviceKey(placeOf(region, account), instanceId). */
  services: ReadonlyMap<string, ServiceCheckView>;
  /** Readiness facts keyed by pairKey(placeOf(region, account), name), a pair missing there still being checked; `now` dates the checks. Absent: no Readiness rows. */
  readiness?: { facts: ReadonlyMap<string, PairReadinessFacts>; now: Date };
}

/**
 * What every row under a pair hands to the commands invoked on it. A VIP row also names its VPC and CIDR, in
 * the same shape as a VIP row of the VIP Routes view, so a failover works from either.
 */
export interface PairRowData {
  region: string;
  pairName: string;
  vpcId?: string;
  cidr?: string;
  instanceId?: string;
}

/** A VIP row of either view: { region, vpcId, cidr }, with the pair's name when it comes from the Pairs view. */
export type VipRowData = Required<Pick<PairRowData, 'region' | 'vpcId' | 'cidr'>> & { pairName?: string };

export function pairRowOf(node: TreeNode | undefined): PairRowData | undefined {
  const data = node?.data as Partial<PairRowData> | undefined;
  return typeof data?.pairName === 'string' && typeof data.region === 'string' ? (data as PairRowData) : undefined;
}

export function vipRowOf(node: TreeNode | undefined): VipRowData | undefined {
  const data = node?.data as Partial<VipRowData> | undefined;
  return typeof data?.region === 'string' && typeof data.vpcId === 'string' && typeof data.cidr === 'string' ? (data as VipRowData) : undefined;
}

/** `place` is placeOf(region, account). */
export function serviceKey(place: string, instanceId: string): string {
  return `${place}/${instanceId}`;
}

export function nodeLabel(instance: Pick<InstanceInfo, 'instanceId' | 'name'>): string {
  return instance.name ?? instance.instanceId;
}

/** "192.168.55.100" for a /32 (or /128): the address people know the VIP by. */
export function vipLabel(cidr: string): string {
  return cidr.replace(/\/(32|128)$/, '');
}

/** Pairs with a problem flag, for an account row's "n with problems". */
export function pairsWithProblems(regions: readonly PairRegionView[]): number {
  return regions.reduce((n, r) => n + (r.ok ? r.pairs.filter((pair) => pair.flags.length > 0).length : 0), 0);
}

/** One row per pair (regions in the order asked); a region that failed is one error row. */
export function buildPairsTree(input: PairsTreeInput): TreeNode[] {
  const showRegion = input.regions.length > 1;
  return input.regions.flatMap((result): TreeNode[] => {
    if (!result.ok) return [inRegion(errorNode(`pairs:${result.region}:error`, result.error), result.region)];
    const statusError = result.statusError
      ? [inRegion(errorNode(`pairs:${result.region}:status-error`, { ...result.statusError, message: `status checks unknown: ${result.statusError.message}` }), result.region)]
      : [];
    return [...statusError, ...result.pairs.map((pair) => pairNode(result.region, placeOf(result.region, result.account), pair, input, showRegion))];
  });
}

function inRegion(row: TreeNode, region: string): TreeNode {
  return { ...row, label: `${region}: ${row.label}` };
}

const HEALTH_ICONS: Record<Pair['health']['severity'], TreeNode['icon']> = {
  ok: { id: 'pass', color: 'testing.iconPassed' },
  warning: WARNING_ICON,
  error: ERROR_ICON,
};

/** CloudFormation tags the instances it creates with their stack: a provisioned pair links to its stack. */
function stackLink(region: string, pair: Pair): TreeNode['console'] {
  const stack = pair.nodes.map((n) => n.instance.tags['aws:cloudformation:stack-name']).find(Boolean);
  return stack ? { region, resource: { kind: 'cloudformation-stack', stack } } : undefined;
}

function pairNode(region: string, place: string, pair: Pair, input: PairsTreeInput, showRegion: boolean): TreeNode {
  const { services } = input;
  const id = `pair:${region}/${pair.name}`;
  const data: PairRowData = { region, pairName: pair.name };
  const master = masterText(pair);
  const health = pair.health.severity === 'ok' ? 'healthy' : pair.health.summary;
  const facts = input.readiness?.facts.get(pairKey(place, pair.name));
  const nodeServices = Object.fromEntries(pair.nodes.map((n) => [n.instance.instanceId, services.get(serviceKey(place, n.instance.instanceId))]));
  const readiness = facts && input.readiness && readinessOf(facts, nodeServices, input.readiness.now);
  const allVips = [...pair.vips.map((v) => vipLabel(v.cidr)), ...pair.publicVips.map((v) => v.address.publicIp)];
  const vips = allVips.length ? allVips.join(', ') : 'no VIP';
  return {
    id,
    label: pair.name,
    description: [vips, master, health, readiness && SUMMARY_TEXT[readiness.summary], showRegion ? region : undefined].filter(Boolean).join(' · '),
    tooltip: [
      `**Pair ${escapeMarkdown(pair.name)}** in ${escapeMarkdown(region)}`,
      ...[
        `VIPs: ${pair.vips.length ? pair.vips.map((v) => `${v.cidr} (${v.vpcId})`).join(', ') : 'none: no VIP route points at either node'}`,
        ...(pair.publicVips.length ? [`Public VIPs (Elastic IPs): ${pair.publicVips.map((v) => `${v.address.publicIp} (${v.address.allocationId})`).join(', ')}`] : []),
        master,
        `Health: ${pair.health.summary}`,
        ...(readiness ? [`Failover readiness: ${SUMMARY_TEXT[readiness.summary]}`] : []),
      ].map(escapeMarkdown),
      ...pair.flags.map((f) => `- ${escapeMarkdown(f.message)}`),
    ].join('\n\n'),
    icon: pairIcon(pair, readiness),
    contextValue: 'pair',
    expanded: true,
    data,
    console: stackLink(region, pair),
    children: [
      ...(input.readiness ? [readinessNode(id, readiness, data)] : []),
      ...pair.flags.map((flag, i) => flagNode(`${id}/flag${i}`, flag, data)),
      ...pair.nodes.map((node) => nodeRow(id, region, pair, node, services.get(serviceKey(place, node.instance.instanceId)))),
      ...pair.vips.map((vip) => vipNode(id, region, pair, vip)),
      ...pair.publicVips.map((vip) => publicVipNode(id, region, pair, vip)),
    ],
  };
}

/** An unhealthy or not-ready pair shows the error; else what readiness says (a health warning stays visible). */
function pairIcon(pair: Pair, readiness: Readiness | undefined): TreeNode['icon'] {
  if (pair.health.severity === 'error' || !readiness) return HEALTH_ICONS[pair.health.severity];
  if (readiness.summary === 'ready' && pair.health.severity === 'warning') return WARNING_ICON;
  return SUMMARY_ICONS[readiness.summary];
}

function masterText(pair: Pair): string {
  const master = pair.nodes.find((n) => n.instance.instanceId === pair.masterInstanceId);
  if (master) return `MASTER ${nodeLabel(master.instance)}`;
  if (pair.nodes.some((n) => n.role === 'SPLIT')) return 'MASTER split';
  return 'no MASTER';
}

const FLAG_LABELS: Record<PairFlag['kind'], string> = {
  'missing-node': 'Missing node',
  'extra-nodes': 'Too many nodes',
  'same-az': 'Both nodes in one AZ',
  'no-vip': 'No VIP',
  'vip-foreign-target': 'VIP points at neither node',
  split: 'Split',
  'node-down': 'Node down',
  'status-checks': 'Status checks',
  'source-dest-check': 'Source/dest check on',
  'eip-unassociated': 'Elastic IP not associated',
  'eip-foreign': 'Elastic IP on neither node',
  'eip-disagrees': 'Elastic IP and routes disagree',
  'subnet-not-public': 'Node subnet not public',
};

function flagNode(id: string, flag: PairFlag, data: PairRowData): TreeNode {
  return {
    id,
    label: FLAG_LABELS[flag.kind],
    description: flag.message,
    tooltip: escapeMarkdown(flag.message),
    icon: flag.severity === 'error' ? ERROR_ICON : WARNING_ICON,
    contextValue: 'pairFlag',
    data,
  };
}

const ROLE_TEXT: Record<NodeRole, string> = {
  MASTER: 'MASTER: the VIP routes point here',
  BACKUP: 'BACKUP: the peer, ready to take the VIP',
  SPLIT: 'SPLIT: some VIP routes point here, others at the peer',
  NONE: 'no role: no VIP route points at either node',
};

const ROLE_ICONS: Record<NodeRole, TreeNode['icon']> = {
  MASTER: { id: 'star-full', color: 'testing.iconPassed' },
  BACKUP: { id: 'star-empty' },
  SPLIT: WARNING_ICON,
  NONE: { id: 'server' },
};

function nodeRow(parentId: string, region: string, pair: Pair, node: PairNode, service: ServiceCheckView | undefined): TreeNode {
  const { instance, role, status } = node;
  const id = `${parentId}/${instance.instanceId}`;
  const data: PairRowData = { region, pairName: pair.name, instanceId: instance.instanceId };
  const running = instance.state === 'running';
  const checks = !status ? 'status checks unknown' : status.system === 'ok' && status.instance === 'ok' ? 'checks ok' : `checks: system ${status.system}, instance ${status.instance}`;
  const facts = [role === 'NONE' ? undefined : role, instance.state, instance.availabilityZone, instance.privateIp, running ? checks : undefined];
  const serviceRow = service && serviceNode(`${id}/services`, role, service, data);
  return {
    id,
    label: nodeLabel(instance),
    description: facts.filter(Boolean).join(' · '),
    tooltip: [
      `**${escapeMarkdown(instance.name ? `${instance.name} (${instance.instanceId})` : instance.instanceId)}**: ${escapeMarkdown(ROLE_TEXT[role])}`,
      ...[
        `State: ${instance.state}${instance.instanceType ? ` · ${instance.instanceType}` : ''}`,
        `AZ ${instance.availabilityZone ?? 'unknown'} · subnet ${instance.subnetId ?? 'none'} · private IP ${instance.privateIp ?? 'none'}`,
        `Status checks: ${status ? `system ${status.system}, instance ${status.instance}` : 'not reported'}`,
        `Source/dest check: ${sourceDestText(instance.sourceDestCheck)}`,
        `IMDSv2: ${instance.imdsv2Required === undefined ? 'unknown' : instance.imdsv2Required ? 'required' : 'optional (tokens not required)'}`,
        `Instance profile: ${instance.instanceProfileArn ?? 'none'}`,
      ].map(escapeMarkdown),
    ].join('\n\n'),
    icon: running ? ROLE_ICONS[role] : role === 'MASTER' || role === 'SPLIT' ? ERROR_ICON : WARNING_ICON,
    contextValue: 'pairNode',
    expanded: serviceRow !== undefined,
    data,
    console: { region, resource: { kind: 'instance', id: instance.instanceId } },
    children: serviceRow ? [serviceRow] : [],
  };
}

function sourceDestText(check: boolean | undefined): string {
  if (check === undefined) return 'unknown';
  return check ? 'ON: EC2 drops traffic addressed to the VIP' : 'off (as a VIP holder needs)';
}

function vipNode(parentId: string, region: string, pair: Pair, vip: PairVip): TreeNode {
  const names = new Map(pair.nodes.map((n) => [n.instance.instanceId, nodeLabel(n.instance)]));
  const holder = (route: PairVip['routes'][number]) => {
    const id = route.target.instanceId ?? (route.target.kind === 'instance' ? route.target.id : undefined);
    return id ? (names.get(id) ?? id) : route.target.id;
  };
  const counts = new Map<string, number>();
  for (const name of vip.routes.map(holder)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const targets = [...counts].map(([name, n]) => (counts.size > 1 ? `${name} ×${n}` : name)).join(', ');
  const problem = vip.foreignRouteTableIds.length > 0 ? 'error' : counts.size > 1 ? 'warning' : undefined;
  const data: PairRowData = { region, pairName: pair.name, vpcId: vip.vpcId, cidr: vip.cidr };
  return {
    id: `${parentId}/vip/${vip.cidr}`,
    label: vipLabel(vip.cidr),
    description: `→ ${targets} · ${vip.routes.length} table${vip.routes.length === 1 ? '' : 's'}`,
    tooltip: [
      `**VIP ${escapeMarkdown(vip.cidr)}** in ${escapeMarkdown(vip.vpcId)}`,
      ...vip.routes.map((r) => `- ${escapeMarkdown(`${r.routeTableName ? `${r.routeTableName} (${r.routeTableId})` : r.routeTableId} → ${holder(r)}${r.target.kind === 'eni' ? ` via ${r.target.id}` : ''} · ${r.state}`)}`),
      vip.foreignRouteTableIds.length ? escapeMarkdown(`Points at neither node in ${vip.foreignRouteTableIds.join(', ')}.`) : '',
      'Fail Over… moves every table to the other node.',
    ]
      .filter(Boolean)
      .join('\n\n'),
    icon: problem === 'error' ? ERROR_ICON : problem === 'warning' ? WARNING_ICON : { id: 'arrow-swap' },
    contextValue: 'vip',
    data,
  };
}

/** "keepalived: active, MASTER · haproxy: active · backends 2/2 UP", or "unknown" when the node told nothing. */
export function describeServices(report: NodeServiceReport): string {
  const { keepalived, haproxy, vrrpState, backends } = report;
  if (keepalived === 'unknown' && haproxy === 'unknown' && vrrpState === 'unknown' && !backends) return 'unknown';
  return [`keepalived: ${keepalived}, ${vrrpState === 'unknown' ? 'VRRP state unknown' : vrrpState}`, `haproxy: ${haproxy}`, backendsText(backends)].join(' · ');
}

function backendsText(backends: NodeServiceReport['backends']): string {
  if (!backends) return 'backends unknown';
  const servers = backends.filter((b) => b.server !== 'BACKEND');
  if (servers.length === 0) return 'no backend servers';
  return `backends ${servers.filter((b) => b.status.startsWith('UP')).length}/${servers.length} UP`;
}

/** What in a node's report deserves attention, in words (pure). */
export function serviceProblems(report: NodeServiceReport, role: NodeRole): string[] {
  const down = (report.backends ?? []).filter((b) => b.server !== 'BACKEND' && !b.status.startsWith('UP'));
  return [...failoverProblems(report, role), ...(down.length ? [`Not UP: ${down.map((b) => `${b.name}/${b.server} ${b.status}`).join(', ')}.`] : [])];
}

function serviceNode(id: string, role: NodeRole, { report, checkedAt }: ServiceCheckView, data: PairRowData): TreeNode {
  const description = describeServices(report);
  const problems = serviceProblems(report, role);
  const servers = (report.backends ?? []).filter((b) => b.server !== 'BACKEND');
  return {
    id,
    label: 'keepalived & haproxy',
    description,
    tooltip: [
      `**keepalived & haproxy** on ${escapeMarkdown(`${report.instanceId}, checked ${checkedAt.toLocaleString()} through SSM Run Command`)}`,
      ...[description, ...problems].map(escapeMarkdown),
      servers.length ? servers.map((b) => `- ${escapeMarkdown(`${b.name}/${b.server}: ${b.status}`)}`).join('\n') : '',
      escapeMarkdown(report.note ?? ''),
    ]
      .filter(Boolean)
      .join('\n\n'),
    icon: description === 'unknown' ? { id: 'question' } : problems.length ? WARNING_ICON : { id: 'pass', color: 'testing.iconPassed' },
    contextValue: 'pairServices',
    data,
  };
}

/** Names the pair's nodes in plan and report lines ("api-b (i-…)"), where the core speaks in instance ids. */
export function withNodeNames(lines: readonly string[], pair: Pair): string[] {
  const names = new Map(pair.nodes.filter((n) => n.instance.name).map((n) => [n.instance.instanceId, n.instance.name as string]));
  // An id already written as "name (id)" is left alone.
  return lines.map((line) => line.replace(/(\()?\b(i-[0-9a-f]{8,17})\b/g, (match, paren: string | undefined, id: string) => (!paren && names.has(id) ? `${names.get(id)} (${id})` : match)));
}

/** An Elastic IP of the pair: the public address, where it is associated, and the node holding it (MASTER for it). */
function publicVipNode(parentId: string, region: string, pair: Pair, vip: PairPublicVip): TreeNode {
  const { address } = vip;
  const holder = pair.nodes.find((n) => n.instance.instanceId === vip.holderInstanceId);
  const where = holder
    ? `→ ${nodeLabel(holder.instance)}${address.privateIp ? ` (${address.privateIp})` : ''}`
    : address.associationId ? `→ ${address.instanceId ?? address.eniId ?? 'unknown'}, neither node` : 'not associated';
  const bad = !holder;
  return {
    id: `${parentId}/eip/${address.allocationId}`,
    label: address.publicIp,
    description: `Elastic IP ${where} · ${address.allocationId}`,
    tooltip: [
      `**Public VIP ${escapeMarkdown(address.publicIp)}** (Elastic IP ${escapeMarkdown(address.allocationId)})`,
      escapeMarkdown(holder ? `Held by ${nodeLabel(holder.instance)} (${holder.instance.instanceId}), MASTER for this VIP${address.eniId ? `, on ${address.eniId}` : ''}${address.privateIp ? ` at ${address.privateIp}` : ''}.` : where),
    ].join('\n\n'),
    icon: bad ? ERROR_ICON : { id: 'globe' },
    contextValue: 'publicVip',
    data: { region, pairName: pair.name, allocationId: address.allocationId, publicIp: address.publicIp, instanceId: vip.holderInstanceId },
    console: { region, resource: { kind: 'elastic-ip', id: address.allocationId } },
  };
}
