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
