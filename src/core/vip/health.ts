import { publicVipRows } from '../pairs/publicVips';
import { worstSeverity } from './diagnostics';
import type { RegionResult, Severity } from './model';

/** VIP health at a glance, for the view badge and the status bar (pure). */
export interface VipHealth {
  vips: number;
  /** VIPs with at least one diagnostic: route VIPs and, with a pair tag key, the pairs' Elastic IPs. */
  withProblems: number;
  worst: Severity | undefined;
  /** Regions whose VIPs are unknown because discovery failed there. */
  failedRegions: string[];
  /** The problem to show first: the first VIP, in the view's order, with an error; else with a warning. */
  first?: { region: string; vpcId: string; cidr: string; message: string; accountId?: string };
}

interface HealthRow {
  region: string;
  accountId?: string;
  vpcId: string;
  /** The route VIP's CIDR, or the Elastic IP's public address. */
  cidr: string;
  messages: string[];
  severity: Severity | undefined;
}

/** `pairTagKey`: also the pairs' public VIPs (Elastic IPs), as VIP Routes lists them beneath each VPC's route VIPs. */
export function vipHealth(results: readonly RegionResult[], pairTagKey?: string): VipHealth {
  const rows = results.flatMap((r): HealthRow[] => {
    if (!r.ok) return [];
    const where = { region: r.region, ...(r.account && { accountId: r.account.accountId }) };
    const publicVips = pairTagKey ? publicVipRows(r.snapshot, pairTagKey) : [];
    return r.snapshot.vpcs.flatMap((vpc) => [
      ...vpc.vips.map((vip) => ({ ...where, vpcId: vpc.vpcId, cidr: vip.cidr, messages: vip.diagnostics.map((d) => d.message), severity: worstSeverity(vip.diagnostics) })),
      // An Elastic IP's problem leaves the public address unreachable or on the wrong node: always an error.
      ...publicVips.filter((p) => p.vpcId === vpc.vpcId).map((p) => ({ ...where, vpcId: vpc.vpcId, cidr: p.address.publicIp, messages: p.problems, severity: p.problems.length ? ('error' as const) : undefined })),
    ]);
  });
  const problems = rows.filter((row) => row.messages.length > 0);
  const worst = problems.some((row) => row.severity === 'error') ? 'error' : problems.length ? 'warning' : undefined;
  const first = problems.find((row) => row.severity === worst);
  return {
    vips: rows.length,
    withProblems: problems.length,
    worst,
    failedRegions: results.filter((r) => !r.ok).map((r) => r.region),
    first: first && { region: first.region, ...(first.accountId && { accountId: first.accountId }), vpcId: first.vpcId, cidr: first.cidr, message: first.messages[0] },
  };
}
