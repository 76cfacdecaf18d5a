/** AWS partitions and region-name validation (pure data; used for validation and console hosts). */
export type PartitionId = 'aws' | 'aws-cn' | 'aws-us-gov';

const PARTITION_PATTERNS: ReadonlyArray<[PartitionId, RegExp]> = [
  ['aws-cn', /^cn-[a-z]+-\d+$/],
  ['aws-us-gov', /^us-gov-[a-z]+-\d+$/],
  ['aws', /^(us|eu|ap|sa|ca|me|af|il|mx)-[a-z]+-\d+$/],
];

export function partitionOf(region: string): PartitionId | undefined {
  return PARTITION_PATTERNS.find(([, pattern]) => pattern.test(region))?.[0];
}

/** Returns an error message for a region name no AWS partition can have, else undefined. */
export function regionProblem(region: string): string | undefined {
  if (!region) return 'No region is set: choose one with "AWS Ops: Select Regions" or set region in the profile.';
  if (partitionOf(region)) return undefined;
  return `Unknown region "${region}": expected a name like us-east-1, eu-central-1, cn-north-1 or us-gov-west-1.`;
}

/** Regions offered in the picker; any valid region name can still be typed into the setting. */
export const KNOWN_REGIONS: readonly string[] = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'mx-central-1', 'sa-east-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'il-central-1', 'me-central-1', 'me-south-1', 'af-south-1',
  'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4',
  'ap-southeast-5', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'cn-north-1', 'cn-northwest-1', 'us-gov-west-1', 'us-gov-east-1',
];
