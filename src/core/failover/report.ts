import { describeServingTables, subnetList, subnetsOf } from '../vip/coverage';
import type { FailoverReport, TableReport } from './execute';
import type { FailoverPlan, MissingRoute, PlanStep } from './plan';
import type { PreflightCheck } from './preflight';
import type { FinalRoute } from './stableReads';

/** Where each VIP points now, grouped by node (or target) with the tables that point there. */
export interface VipWhereabouts {
  cidr: string;
  targets: Array<{ label: string; routeTableIds: string[] }>;
}

/** The question about tables that serve subnets but lack a VIP route: add it there, or leave them. */
export interface MissingRoutesPrompt {
  /** "1 route table of vpc-1 lacks the VIP route". */
  title: string;
  /** Which subnets cannot reach the VIP. */
  affected: string;
  /** Each table by name with the subnets using it. */
  tables: string;
  routeTableIds: string[];
}

/** The prompt for plan.missing, each table once (pure); undefined when no table lacks a VIP. */
export function missingRoutesPrompt(plan: FailoverPlan): MissingRoutesPrompt | undefined {
  const tables = [...new Map(plan.missing.map((m) => [m.routeTableId, m])).values()];
  if (tables.length === 0) return undefined;
  const one = tables.length === 1;
  const subnets = subnetsOf(tables);
  return {
    title: `${tables.length} route table${one ? '' : 's'} of ${plan.request.vpcId} lack${one ? 's' : ''} ${plan.request.cidrs.length === 1 ? 'the VIP route' : 'a VIP route'}`,
    affected: `Subnet${subnets.length === 1 ? '' : 's'} ${subnetList(subnets)} cannot reach ${missingVips(plan.missing)}`,
    tables: describeServingTables(tables),
    routeTableIds: tables.map((t) => t.routeTableId),
  };
}

/** The plan and its checks as lines for the confirmation modal and the log (pure). */
export function formatPlan(plan: FailoverPlan, checks: readonly PreflightCheck[]): string[] {
  const { request } = plan;
  const moving = plan.steps.filter((s) => s.action !== 'none').length;
  const eips = plan.eipSteps;
  const vips = [...request.cidrs, ...eips.map((e) => e.publicIp)].join(', ');
  const changes = [
    ...(request.cidrs.length ? [`${moving} of ${plan.steps.length} route(s)`] : []),
    ...(eips.length ? [`${eips.filter((e) => e.action === 'move').length} of ${eips.length} Elastic IP(s)`] : []),
  ];
  const lines = [`Fail over ${vips} in ${request.vpcId} to ${request.toInstanceId}: ${changes.join(' and ')} change.`];
  for (const step of plan.steps) lines.push(`  ${tableLabel(step)} ${step.cidr}: ${stepText(step)}`);
  for (const eip of plan.eipSteps) {
    const from = eip.from.instanceId ? `${eip.from.instanceId} via ${eip.from.eniId}${eip.from.privateIp ? ` (${eip.from.privateIp})` : ''}` : 'not associated';
    lines.push(`  Elastic IP ${eip.publicIp} (${eip.allocationId}): ${eip.action === 'none' ? `already on ${eip.to.instanceId}` : `${from} → ${eip.to.instanceId} via ${eip.to.eniId || '?'}${eip.to.privateIp ? ` (${eip.to.privateIp})` : ''}`}`);
  }
  const cidrs = [...new Set(plan.missing.map((m) => m.cidr))];
  for (const cidr of cidrs) {
    const lacking = plan.missing.filter((m) => m.cidr === cidr);
    lines.push(`Route tables of ${request.vpcId} serving subnets without a route for ${cidr} (can be added): ${describeServingTables(lacking)}`);
  }
  lines.push('Checks:');
  for (const check of checks) lines.push(`  ${check.ok ? '✓' : check.overridable ? '⚠' : '✗'} ${check.message}${!check.ok && check.overridable ? ' (can be overridden)' : ''}`);
  return lines;
}

/** The outcome as lines: the verdict, where every VIP points now, then each table (pure). */
export function formatReport(report: FailoverReport): string[] {
  const lines = [headline(report)];
  for (const check of report.refused ?? []) lines.push(`  ✗ ${check.message}`);
  for (const where of whereabouts(report)) {
    lines.push(`${where.cidr} now points at: ${where.targets.map((t) => `${t.label} (${t.routeTableIds.length} table${t.routeTableIds.length === 1 ? '' : 's'})`).join(', ')}`);
  }
  for (const table of report.tables) lines.push(`  ${tableLabel(table)} ${table.cidr}: ${outcomeText(table)}`);
  for (const eip of report.addresses ?? []) lines.push(`  Elastic IP ${eip.publicIp} (${eip.allocationId}): ${outcomeText(eip)}`);
  lines.push(...movers(report.tables));
  lines.push(...report.notes);
  return lines;
}

/** Groups the final reads by where they point (pure). */
export function whereabouts(report: FailoverReport): VipWhereabouts[] {
  return report.cidrs.map((cidr) => {
    const groups = new Map<string, string[]>();
    for (const table of report.tables.filter((t) => t.cidr === cidr)) {
      const label = finalLabel(table.final);
      groups.set(label, [...(groups.get(label) ?? []), table.routeTableId]);
    }
    return { cidr, targets: [...groups].map(([label, routeTableIds]) => ({ label, routeTableIds })) };
  });
}

function missingVips(missing: readonly MissingRoute[]): string {
  const cidrs = [...new Set(missing.map((m) => m.cidr.replace(/\/(32|128)$/, '')))];
  return cidrs.length === 1 ? `VIP ${cidrs[0]}` : `VIPs ${cidrs.join(', ')}`;
}

function headline(report: FailoverReport): string {
  const n = report.tables.length;
  const unverified = report.tables.filter((t) => !t.verified).length;
  switch (report.result) {
    case 'moved':
      // A public-only pair moves no route: its report names the Elastic IPs alone.
      if (report.addresses?.length && n === 0) return `Failover done: all ${report.addresses.length} Elastic IP(s) are on ${report.toInstanceId} (verified by reading each back).`;
      return report.addresses?.length
        ? `Failover done: all ${n} route(s) and ${report.addresses.length} Elastic IP(s) are on ${report.toInstanceId} (verified by reading each back).`
        : `Failover done: all ${n} route(s) send ${report.cidrs.join(', ')} to ${report.toInstanceId} (verified by reading every table back).`;
    case 'rolled-back':
      return report.stopped
        ? `The failover was ${report.stopped === 'cancelled' ? 'cancelled' : 'stopped at its deadline'} after routes had moved, and rolled back: every table it had changed is verified back where it was.`
        : 'The failover failed and was rolled back: every table it had changed is verified back where it was.';
    case 'partial':
      return 'The failover failed part-way; as chosen, the moved tables were kept. The VIP is split, see below.';
    case 'converged':
      return `Someone else moved routes the other way during this failover: all tables now agree on ${report.settledOn} (verified).`;
    case 'unverified': {
      const eips = (report.addresses ?? []).filter((a) => !a.verified).length;
      return `${unverified} of ${n} route table(s)${eips ? ` and ${eips} Elastic IP(s)` : ''} never read back stable in time, so where they point is not verified: their last reads are below.`;
    }
    case 'inconsistent':
      return 'The failover could not reach a consistent state. Where each table points now, as read back:';
    case 'refused':
      return `Nothing was changed: the failover to ${report.toInstanceId} is blocked by these checks.`;
    case 'cancelled':
      return `${report.stopped === 'deadline' ? 'Stopped at its deadline' : 'Cancelled'} before any route was moved: nothing was changed.`;
  }
}

/** Which tables this run moved and which someone else moved, when anyone else did. */
function movers(tables: readonly TableReport[]): string[] {
  const others = tables.filter((t) => t.movedBy === 'someone else');
  if (others.length === 0) return [];
  const mine = tables.filter((t) => t.movedBy === 'this run');
  return [
    `Moved by this run: ${mine.map(tableLabel).join(', ') || 'none'}. Moved by someone else during the run: ${others.map((t) => `${tableLabel(t)} (→ ${finalLabel(t.final)})`).join(', ')}.`,
  ];
}

function stepText(step: PlanStep): string {
  if (step.action === 'none') return `already at ${step.to.id}`;
  if (step.action === 'create') return `add → ${step.to.id}`;
  const blackhole = step.fromState === 'blackhole' ? ' (blackhole)' : '';
  return `${step.from?.id}${blackhole} → ${step.to.id}`;
}

function outcomeText(table: Pick<TableReport, 'outcome' | 'reason' | 'verified' | 'reads' | 'final'>): string {
  const label = table.outcome.replace('-', ' ');
  const reason = table.reason ? ` (${table.reason})` : '';
  const unverified = table.verified ? '' : table.reads ? ` (unverified; last reads: ${table.reads.map(finalLabel).join(', ') || 'none'})` : ' (not read back)';
  return `${label}${reason}; now → ${finalLabel(table.final)}${unverified}`;
}

function finalLabel(final: FinalRoute): string {
  switch (final.kind) {
    case 'route':
      return final.node && final.node !== final.target.id ? `${final.node} via ${final.target.id}` : final.target.id;
    case 'no-route':
      return 'no route';
    case 'vanished':
      return 'table deleted';
    case 'unknown':
      return 'unknown (could not read)';
  }
}

function tableLabel(table: { routeTableId: string; routeTableName?: string }): string {
  return table.routeTableName ? `${table.routeTableName} (${table.routeTableId})` : table.routeTableId;
}
