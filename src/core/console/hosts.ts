import { partitionOf, regionProblem, type PartitionId } from '../session/regions';
import { ConsoleError } from './errors';

/** Where the console and the federation sign-in endpoint live in each AWS partition. */
interface PartitionHosts {
  /** Console host for a regional page. */
  regionalConsole(region: string): string;
  /** Console host for global services (IAM, Route 53, billing...). */
  globalConsole: string;
  /** The federation endpoint: getSigninToken and login. */
  federation: string;
}

const HOSTS: Record<PartitionId, PartitionHosts> = {
  aws: {
    regionalConsole: (region) => `https://${region}.console.aws.amazon.com`,
    globalConsole: 'https://console.aws.amazon.com',
    federation: 'https://signin.aws.amazon.com/federation',
  },
  'aws-cn': {
    regionalConsole: () => 'https://console.amazonaws.cn',
    globalConsole: 'https://console.amazonaws.cn',
    federation: 'https://signin.amazonaws.cn/federation',
  },
  'aws-us-gov': {
    regionalConsole: () => 'https://console.amazonaws-us-gov.com',
    globalConsole: 'https://console.amazonaws-us-gov.com',
    federation: 'https://signin.amazonaws-us-gov.com/federation',
  },
};

/**
 * The partition of a region, or an error: the region ends up in a host name, so only names that match a
 * partition's pattern are accepted.
 */
export function partitionFor(region: string): PartitionId {
  const partition = partitionOf(region);
  if (!partition) throw new ConsoleError('invalid-input', regionProblem(region) ?? `Unknown region "${region}".`);
  return partition;
}

export function regionalConsoleHost(region: string): string {
  return HOSTS[partitionFor(region)].regionalConsole(region);
}

/** `/<path>?region=R<fragment>` on the region's console host: the shape of nearly every console page. */
export function regionalConsoleUrl(region: string, path: string, fragment = ''): string {
  return `${regionalConsoleHost(region)}/${path}?region=${region}${fragment}`;
}

export function globalConsoleHost(region: string): string {
  return HOSTS[partitionFor(region)].globalConsole;
}

/** The federation endpoint of the region's partition (the commercial one when no region is known). */
export function federationEndpoint(region: string | undefined): string {
  return HOSTS[region ? partitionFor(region) : 'aws'].federation;
}

/** Which partition a sign-in URL belongs to, judged by its host; undefined for a host that is not AWS sign-in. */
export function partitionOfSigninUrl(url: URL): PartitionId | undefined {
  return (Object.keys(HOSTS) as PartitionId[]).find((p) => new URL(HOSTS[p].federation).host === url.host);
}
