import { createZone, launch, putOwnedRecord } from './jumpboxSeed';
import { assumeRoleCredentials } from '../../src/core/session/assumeRole';
import { AwsSession } from '../../src/core/session/session';
import { MOTO_CREDENTIALS, motoPool } from './moto';
import { seedPairWorld, type PairWorld } from './pairWorld';
import { allocateElasticIp, makeNodeSubnetsPublic } from './publicPair';
import { seedVipWorld, type VipWorld } from './seedVipWorld';

/** The regions the demo and the UI tests show. */
export const DEMO_REGIONS = ['eu-west-1', 'us-east-1'] as const;
/**
 * The fleet beside the "demo" profile's own account: profiles that assume a role in each (launchProduct writes
 * them), for "AWS Ops: Select Profiles…" (demo-*) to show three accounts. moto keeps each account's state apart.
 */
export const DEMO_ACCOUNTS = [
  { profile: 'demo-staging', accountId: '222222222222', pairName: 'staging-lb' },
  { profile: 'demo-dev', accountId: '333333333333', pairName: 'dev-lb' },
] as const;
export const DEMO_ROLE_NAME = 'ops';

/** The hosted zone whose records the demo lets AWS Ops write (setting awsops.dnsZones). */
export const DEMO_DNS_ZONE = 'demo.example.com';

export interface DemoWorld {
  vips: VipWorld;
  /** A healthy pair "api" in us-east-1 whose VIP is in 3 route tables, on node a. */
  api: PairWorld;
  /** A public pair "edge" in us-east-1: no route VIP, an Elastic IP on node a, nodes in public subnets. */
  edge: PairWorld & { publicIp: string; allocationId: string };
  jumpboxId: string;
  jumpboxDns: string;
  /** The hosted zone of DEMO_DNS_ZONE. */
  zoneId: string;
  /** A pair in eu-west-1 of each DEMO_ACCOUNTS account, by profile. */
  accounts: Record<string, PairWorld>;
}

/**
 * A realistic world for the demo and the UI tests: in eu-west-1 an haproxy pair whose VIP is in three route
 * tables plus a split-brain VIP, a VIP routed to an ENI and the other situations the VIP Routes view explains;
 * in us-east-1 a healthy pair "api", a public pair "edge" whose Elastic IP is on its node a, and a stopped
 * work-hours jumpbox whose own DNS record still points at a released IP; and two more accounts (DEMO_ACCOUNTS),
 * each with a pair, for the fleet.
 */
export async function seedDemoWorld(endpointUrl: string): Promise<DemoWorld> {
  const pool = motoPool();
  try {
    const vips = await seedVipWorld(pool.get({ region: 'eu-west-1', endpointUrl }), { name: 'prod-lb' });
    const east = pool.get({ region: 'us-east-1', endpointUrl });
    const api = await seedPairWorld(east.client('ec2'), { tables: 3, kind: 'instance', name: 'api', cidr: '198.51.100.10/32' });
    const edgePair = await seedPairWorld(east.client('ec2'), { tables: 0, kind: 'instance', name: 'edge' });
    await makeNodeSubnetsPublic(east.client('ec2'), edgePair.vpcId);
    const edge = { ...edgePair, ...(await allocateElasticIp(east.client('ec2'), { Name: 'edge-public' }, edgePair.nodeA)) };
    const jumpboxDns = 'jump.demo.example.com';
    const zoneId = await createZone(east, DEMO_DNS_ZONE);
    const jumpboxId = await launch(
      east,
      { Name: 'jumpbox-ops', 'awsops:jumpbox': 'ops', 'awsops:dns': jumpboxDns, 'awsops:schedule': 'Sun-Thu 08:00-18:00 Asia/Jerusalem' },
      'stopped',
    );
    // Its own record, left at an IP it released (stopped by its schedule in AWS, say).
    await putOwnedRecord(east, zoneId, jumpboxDns, '203.0.113.10', jumpboxId);
    const accounts: Record<string, PairWorld> = {};
    for (const account of DEMO_ACCOUNTS) {
      const region = 'eu-west-1';
      const credentials = assumeRoleCredentials(async () => MOTO_CREDENTIALS, `arn:aws:iam::${account.accountId}:role/${DEMO_ROLE_NAME}`, { region, endpointUrl });
      const session = new AwsSession({ region, endpointUrl }, credentials, () => undefined);
      accounts[account.profile] = await seedPairWorld(session.client('ec2'), { tables: 2, kind: 'instance', name: account.pairName });
      session.destroy();
    }
    return { vips, api, edge, jumpboxId, jumpboxDns, zoneId, accounts };
  } finally {
    pool.clear();
  }
}
