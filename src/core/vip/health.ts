import { worstSeverity } from './diagnostics';
import type { RegionResult, Severity } from './model';

/** VIP health at a glance, for the view badge and the status bar (pure). */
export interface VipHealth {
  vips: number;
  /** VIPs with at least one diagnostic. */
  withProblems: number;
  worst: Severity | undefined;
  /** Regions whose VIPs are unknown because discovery failed there. */
  failedRegions: string[];
  /** The problem to show first: the first VIP, in the view's order, with an error; else with a warning. */
  first?: { region: string; vpcId: string; cidr: string; message: string; accountId?: string };
}

export function vipHealth(results: readonly RegionResult[]): VipHealth {
  const vips = results.flatMap((r) => (r.ok ? r.snapshot.vpcs.flatMap((vpc) => vpc.vips.map((vip) => ({ region: r.region, ...(r.account && { accountId: r.account.accountId }), vpcId: vpc.vpcId, vip }))) : []));
  const problems = vips.filter(({ vip }) => vip.diagnostics.length > 0);
  const worst = worstSeverity(problems.flatMap(({ vip }) => vip.diagnostics));
  const first = problems.find(({ vip }) => worstSeverity(vip.diagnostics) === worst);
  return {
    vips: vips.length,
    withProblems: problems.length,
    worst,
    failedRegions: results.filter((r) => !r.ok).map((r) => r.region),
    first: first && { region: first.region, ...(first.accountId && { accountId: first.accountId }), vpcId: first.vpcId, cidr: first.vip.cidr, message: first.vip.diagnostics[0].message },
  };
}
