import type { PolicyVersionCache, RoleFacts, RoleMemo } from '../../core/iam/instanceRoles';
import { GONE_STATES, vipRouteTables } from '../../core/pairs/readiness';
import type { PairNetworks } from '../../core/pairs/readinessReads';
import type { SessionSpec } from '../../core/session/session';
import type { RegionResult } from '../../core/vip/model';
import type { AwsContext } from '../../plumbing/awsContext';
import type { PairRegionView } from './model';
import { pairKey, placeOf, type PairReadinessFacts } from './readinessModel';
import type { AccountRef } from '../../core/fleet/model';

/**
 * Reads what readiness is judged on, for every pair of a refresh: each region's interfaces and security groups
 * (EC2, two calls), and each node's instance role (IAM is global: one read per role per refresh, managed policy
 * versions cached for the session). A failed read makes the items that need it "unknown", never the others.
 */
export class ReadinessReader {
  private readonly versions: PolicyVersionCache = new Map();

  constructor(
    private readonly context: AwsContext,
    private readonly spec: (region: string, account?: AccountRef) => SessionSpec,
  ) {}

  async read(results: readonly RegionResult[], regions: readonly PairRegionView[], signal: AbortSignal): Promise<Map<string, PairReadinessFacts>> {
    const roles: RoleMemo = new Map();
    const facts = new Map<string, PairReadinessFacts>();
    await Promise.all(
      regions.map(async (view) => {
        const result = results.find((r) => r.region === view.region && r.account?.accountId === view.account?.accountId);
        if (!view.ok || !result?.ok || view.pairs.length === 0) return;
        const nodes = view.pairs.flatMap((pair) => pair.nodes).filter((n) => !GONE_STATES.has(n.instance.state)).map((n) => n.instance);
        const session = this.context.pool.get(this.spec(view.region, view.account));
        const [networks, nodeRoles] = await Promise.all([
          this.networks(session.client('ec2'), nodes.map((n) => n.instanceId), signal),
          this.roles(() => session.client('iam'), nodes.map((n) => n.instanceProfileArn), roles, signal),
        ]);
        const roleOf = new Map(nodes.map((n, i) => [n.instanceId, nodeRoles[i]]));
        for (const pair of view.pairs) {
          const ids = pair.nodes.map((n) => n.instance.instanceId);
          facts.set(pairKey(placeOf(view.region, view.account), pair.name), {
            pair,
            enis: 'problem' in networks ? {} : Object.fromEntries(ids.flatMap((id) => (networks.enis[id] ? [[id, networks.enis[id]]] : []))),
            networkProblem: 'problem' in networks ? networks.problem : undefined,
            securityGroups: 'problem' in networks ? {} : networks.securityGroups,
            roles: Object.fromEntries(ids.flatMap((id) => (roleOf.has(id) ? [[id, roleOf.get(id) as RoleFacts]] : []))),
            routeTables: vipRouteTables(pair, result.snapshot),
          });
        }
      }),
    );
    return facts;
  }

  private async networks(ec2: Parameters<AwsContext['aws']['readPairNetworks']>[0], ids: string[], signal: AbortSignal): Promise<PairNetworks | { problem: string }> {
    const { aws } = this.context;
    try {
      return await aws.readPairNetworks(ec2, ids, signal);
    } catch (error) {
      const e = aws.explainError(error);
      return { problem: `${e.code}: ${e.message}` };
    }
  }

  private async roles(iam: () => Parameters<AwsContext['aws']['readInstanceRoles']>[0], arns: Array<string | undefined>, memo: RoleMemo, signal: AbortSignal): Promise<RoleFacts[]> {
    const { aws } = this.context;
    try {
      return await aws.readInstanceRoles(iam(), arns, { versions: this.versions, roles: memo }, signal);
    } catch (error) {
      const e = aws.explainError(error);
      return arns.map(() => ({ kind: 'unknown', why: `IAM could not be read: ${e.code}: ${e.message}` }));
    }
  }
}
