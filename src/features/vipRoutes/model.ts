import { publicVipRows, type PublicVipRow } from '../../core/pairs/publicVips';
import { escapeMarkdown } from '../../core/text/markdown';
import type { Diagnostic, RegionResult, RegionSnapshot, Vip, VipRoute, VpcInfo } from '../../core/vip/model';
import type { AccountRegion } from '../../plumbing/accountGroups';
import { ERROR_ICON, errorNode, messageNode, WARNING_ICON, type ConsoleLink, type TreeNode } from '../../plumbing/treeNode';

/** A fleet region's answer as the single-account views take it: the snapshot, or the account's problem as an error. */
export function regionResultOf(answer: AccountRegion<RegionSnapshot>): RegionResult {
  if (answer.result) return { region: answer.region, ok: true, snapshot: answer.result, account: answer.account };
  const problem = answer.problem ?? { kind: 'other', message: 'no answer', fix: 'Refresh' };
  return { region: answer.region, ok: false, error: { code: problem.kind, message: problem.message, hint: problem.fix }, account: answer.account };
}

/**
 * Region → VPC → VIP → (diagnostics, one row per route table), and the Elastic IPs of the pairs (named by
 * `pairTagKey`) beside the route VIPs of their VPC. Pure: built from discovery results.
 */
export function buildVipRouteTree(results: readonly RegionResult[], options: { pairTagKey?: string } = {}): TreeNode[] {
  return results.map((result) => {
    const id = `region:${result.region}`;
    if (!result.ok) {
      return { id, label: result.region, description: 'failed', icon: ERROR_ICON, expanded: true, children: [errorNode(`${id}:error`, result.error)] };
    }
    const publicVips = options.pairTagKey ? publicVipRows(result.snapshot, options.pairTagKey) : [];
    const vpcs = result.snapshot.vpcs.filter((vpc) => vpc.vips.length > 0 || publicVips.some((p) => p.vpcId === vpc.vpcId));
    const problems = vpcs.flatMap((vpc) => vpc.vips).filter((vip) => vip.diagnostics.length > 0).length + publicVips.filter((p) => p.problems.length > 0).length;
    const vipCount = vpcs.reduce((sum, vpc) => sum + vpc.vips.length, 0) + publicVips.length;
    return {
      id,
      label: result.region,
      description: `${plural(vipCount, 'VIP')}${problems ? ` · ${problems} with problems` : ''}`,
      icon: { id: 'globe' },
      expanded: true,
      children: vpcs.length ? vpcs.map((vpc) => vpcNode(id, vpc, result.snapshot, publicVips.filter((p) => p.vpcId === vpc.vpcId))) : [messageNode(`${id}:none`, 'No VIP routes', '/32 or /128 routes to an instance or ENI')],
    };
  });
}

function vpcNode(parentId: string, vpc: VpcInfo, snapshot: RegionSnapshot, publicVips: readonly PublicVipRow[]): TreeNode {
  const id = `${parentId}/${vpc.vpcId}`;
  return {
    id,
    label: vpc.name ? `${vpc.name}` : vpc.vpcId,
    description: `${vpc.name ? `${vpc.vpcId} · ` : ''}${vpc.cidrs.join(', ')}`,
    icon: { id: 'cloud' },
    contextValue: 'vpc',
    expanded: true,
    console: { region: snapshot.region, resource: { kind: 'vpc', id: vpc.vpcId } },
    children: [...vpc.vips.map((vip) => vipNode(id, vip, vpc, snapshot)), ...publicVips.map((vip) => publicVipNode(id, vip, snapshot.region))],
  };
}

/** A pair's Elastic IP: its public address, where it is associated, and what is wrong with it. */
function publicVipNode(parentId: string, vip: PublicVipRow, region: string): TreeNode {
  const { address } = vip;
  const where = vip.holderLabel
    ? `→ ${vip.holderLabel}${address.privateIp ? ` (${address.privateIp})` : ''}`
    : address.associationId ? `→ ${address.instanceId ?? address.eniId ?? 'unknown'}, neither node` : 'not associated';
  return {
    id: `${parentId}/eip/${address.allocationId}`,
    label: address.publicIp,
    description: `Elastic IP ${where} · pair ${vip.pairName}`,
    tooltip: [`**Public VIP ${escapeMarkdown(address.publicIp)}** (Elastic IP ${escapeMarkdown(address.allocationId)}) of pair ${escapeMarkdown(vip.pairName)}`, ...vip.problems.map((p) => `- ${escapeMarkdown(p)}`)].join('\n\n'),
    icon: vip.problems.length ? ERROR_ICON : { id: 'pass', color: 'testing.iconPassed' },
    contextValue: 'publicVip',
    expanded: vip.problems.length > 0,
    data: { region, vpcId: vip.vpcId, pairName: vip.pairName, allocationId: address.allocationId, publicIp: address.publicIp, instanceId: vip.holderInstanceId },
    console: { region, resource: { kind: 'elastic-ip', id: address.allocationId } },
    children: vip.problems.map((p, i) => ({ id: `${parentId}/eip/${address.allocationId}/problem${i}`, label: 'Problem', description: p, tooltip: escapeMarkdown(p), icon: ERROR_ICON, contextValue: 'diagnostic' })),
  };
}

function vipNode(parentId: string, vip: Vip, vpc: VpcInfo, snapshot: RegionSnapshot): TreeNode {
  const id = `${parentId}/${vip.cidr}`;
  const worst = worstOf(vip.diagnostics);
  return {
    id,
    label: vip.cidr.replace(/\/(32|128)$/, ''),
    description: targetSummary(vip, snapshot),
    tooltip: [`**VIP ${escapeMarkdown(vip.cidr)}** in ${escapeMarkdown(vpc.name ?? vpc.vpcId)}`, ...vip.diagnostics.map((d) => `- ${escapeMarkdown(d.message)}`)].join('\n\n'),
    icon: worst === 'error' ? ERROR_ICON : worst === 'warning' ? WARNING_ICON : { id: 'pass', color: 'testing.iconPassed' },
    contextValue: 'vip',
    expanded: vip.diagnostics.length > 0,
    data: { region: snapshot.region, vpcId: vpc.vpcId, cidr: vip.cidr },
    children: [
      ...vip.diagnostics.map((d, i) => diagnosticNode(`${id}/diag${i}`, d)),
      ...vip.routes.map((route) => routeNode(id, route, snapshot)),
    ],
  };
}

function diagnosticNode(id: string, d: Diagnostic): TreeNode {
  return { id, label: DIAGNOSTIC_LABELS[d.kind], description: d.message, tooltip: escapeMarkdown(d.message), icon: d.severity === 'error' ? ERROR_ICON : WARNING_ICON, contextValue: 'diagnostic' };
}

const DIAGNOSTIC_LABELS: Record<Diagnostic['kind'], string> = {
  'split-brain': 'Split brain',
  blackhole: 'Blackhole',
  'partial-coverage': 'Partial coverage',
  'vip-inside-cidr': 'VIP inside the VPC CIDR',
  'source-dest-check': 'Source/dest check on',
};

function routeNode(parentId: string, route: VipRoute, snapshot: RegionSnapshot): TreeNode {
  const target = describeTarget(route, snapshot);
  const azs = route.availabilityZones.length ? route.availabilityZones.join(', ') : 'no subnets';
  const bad = route.state !== 'active';
  return {
    id: `${parentId}/${route.routeTableId}`,
    label: route.routeTableName ?? route.routeTableId,
    description: `${azs} → ${target} · ${route.state}`,
    tooltip: [
      `**${escapeMarkdown(route.routeTableName ?? route.routeTableId)}** ${escapeMarkdown(`(${route.routeTableId})${route.isMain ? ', main table' : ''}`)}`,
      ...[
        `Subnet AZs: ${azs}`,
        `Target: ${target} (${route.target.kind === 'eni' ? 'network interface' : 'instance'})`,
        `Route state: ${route.state}`,
      ].map(escapeMarkdown),
    ].join('\n\n'),
    icon: bad ? ERROR_ICON : { id: route.target.kind === 'eni' ? 'plug' : 'server' },
    contextValue: 'routeTable',
    console: routeLinks(route, snapshot.region),
  };
}

/** The route table, and the ENI or instance the route sends the VIP to. */
function routeLinks(route: VipRoute, region: string): ConsoleLink[] {
  const links: ConsoleLink[] = [{ region, resource: { kind: 'route-table', id: route.routeTableId }, label: `Route table ${route.routeTableId}` }];
  if (route.target.kind === 'eni') links.push({ region, resource: { kind: 'network-interface', id: route.target.id }, label: `Network interface ${route.target.id}` });
  if (route.target.instanceId) links.push({ region, resource: { kind: 'instance', id: route.target.instanceId }, label: `Instance ${route.target.instanceId}` });
  return links;
}

function describeTarget(route: VipRoute, snapshot: RegionSnapshot): string {
  const instanceId = route.target.instanceId;
  const name = instanceId ? snapshot.instances[instanceId]?.name : undefined;
  const instance = instanceId ? `${name ?? instanceId}` : 'no instance';
  return route.target.kind === 'eni' ? `${route.target.id} (${instance})` : instance;
}

/** "→ haproxy-a" when all tables agree, else the count per target so a split is visible at a glance. */
function targetSummary(vip: Vip, snapshot: RegionSnapshot): string {
  const counts = new Map<string, number>();
  for (const route of vip.routes) {
    const key = describeTarget(route, snapshot);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].map(([target, n]) => (counts.size > 1 ? `${target} ×${n}` : target));
  return `→ ${parts.join(', ')} · ${plural(vip.routes.length, 'table')}`;
}

function worstOf(diagnostics: readonly Diagnostic[]): 'error' | 'warning' | undefined {
  if (diagnostics.some((d) => d.severity === 'error')) return 'error';
  return diagnostics.length ? 'warning' : undefined;
}

function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}
