import { ConsoleError } from './errors';
import { globalConsoleHost, partitionFor, regionalConsoleUrl } from './hosts';

/** A resource the tree shows, to open on its own console page. */
export type ConsoleResource =
  | { kind: 'route-table'; id: string }
  | { kind: 'vpc'; id: string }
  | { kind: 'instance'; id: string }
  | { kind: 'network-interface'; id: string }
  | { kind: 'elastic-ip'; id: string }
  /** Name, stack id or ARN; an ARN's own region wins over the given one. */
  | { kind: 'cloudformation-stack'; stack: string }
  /** The console has no page per record: this opens the zone's records (the caller can name the record). */
  | { kind: 'route53-record'; hostedZoneId: string; name?: string }
  | { kind: 'schedule'; name: string; group?: string };

const EC2_IDS: Record<'route-table' | 'vpc' | 'instance' | 'network-interface' | 'elastic-ip', RegExp> = {
  'route-table': /^rtb-[0-9a-f]{8,17}$/,
  vpc: /^vpc-[0-9a-f]{8,17}$/,
  instance: /^i-[0-9a-f]{8,17}$/,
  'network-interface': /^eni-[0-9a-f]{8,17}$/,
  'elastic-ip': /^eipalloc-[0-9a-f]{8,17}$/,
};

export function resourceConsoleUrl(resource: ConsoleResource, region: string): string {
  switch (resource.kind) {
    case 'route-table':
      return regionalConsoleUrl(region, 'vpcconsole/home', `#RouteTableDetails:RouteTableId=${ec2Id(resource)}`);
    case 'vpc':
      return regionalConsoleUrl(region, 'vpcconsole/home', `#VpcDetails:VpcId=${ec2Id(resource)}`);
    case 'instance':
      return regionalConsoleUrl(region, 'ec2/home', `#InstanceDetails:instanceId=${ec2Id(resource)}`);
    case 'network-interface':
      return regionalConsoleUrl(region, 'ec2/home', `#NetworkInterface:networkInterfaceId=${ec2Id(resource)}`);
    case 'elastic-ip':
      return regionalConsoleUrl(region, 'ec2/home', `#ElasticIpDetails:AllocationId=${ec2Id(resource)}`);
    case 'cloudformation-stack': {
      const stackRegion = arnRegion(resource.stack, 'cloudformation') ?? region;
      return regionalConsoleUrl(stackRegion, 'cloudformation/home', `#/stacks/stackinfo?stackId=${nonEmpty(resource.stack)}`);
    }
    case 'route53-record': {
      const zone = resource.hostedZoneId.replace(/^\/hostedzone\//, '');
      if (!/^[A-Z0-9]{1,32}$/.test(zone)) throw invalid('hosted zone id', resource.hostedZoneId);
      return `${globalConsoleHost(region)}/route53/v2/hostedzones#ListRecordSets/${zone}`;
    }
    case 'schedule':
      return regionalConsoleUrl(region, 'scheduler/home', `#schedules/${nonEmpty(resource.group ?? 'default')}/${nonEmpty(resource.name)}`);
  }
}

function ec2Id(resource: { kind: keyof typeof EC2_IDS; id: string }): string {
  if (!EC2_IDS[resource.kind].test(resource.id)) throw invalid(`${resource.kind} id`, resource.id);
  return resource.id;
}

/** Names and ARNs go into the fragment encoded, so "/" or "#" in them cannot change the page. */
function nonEmpty(value: string): string {
  if (!value) throw invalid('name', value);
  return encodeURIComponent(value);
}

/** arn:<partition>:<service>:<region>:... → region, when the ARN is of that service and names a known region. */
function arnRegion(value: string, service: string): string | undefined {
  const [prefix, , arnService, region] = value.split(':');
  if (prefix !== 'arn' || arnService !== service || !region) return undefined;
  partitionFor(region);
  return region;
}

function invalid(what: string, value: string): ConsoleError {
  return new ConsoleError('invalid-input', `"${value}" is not a valid ${what}.`);
}
