/** A public pair's nodes must be reachable from the internet: each node's subnet routes 0.0.0.0/0 to an internet gateway. */
import type { VpcFacts } from './inputs';

export function publicSubnetsProblem(subnetIds: readonly string[], facts: VpcFacts): string | undefined {
  const main = facts.routeTables.find((t) => t.isMain);
  const privateOnes = subnetIds.filter((id) => {
    const table = facts.routeTables.find((t) => t.subnetIds?.includes(id)) ?? main;
    return !table?.routes.some((r) => r.destination === '0.0.0.0/0' && r.target.startsWith('igw-'));
  });
  if (privateOnes.length === 0) return undefined;
  return `${privateOnes.join(' and ')} ${privateOnes.length > 1 ? 'have' : 'has'} no route 0.0.0.0/0 to an internet gateway: an Elastic IP on a node there cannot be reached. Pick public subnets for a public pair.`;
}
