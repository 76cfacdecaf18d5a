import type { PartitionId } from '../session/regions';

/** An Amazon Resource Name, split into its parts. */
export interface Arn {
  /** The whole ARN as written. */
  text: string;
  /** The partitions whose console AWS Ops knows. */
  partition: PartitionId;
  /** The service namespace, e.g. ec2, iam, s3. */
  service: string;
  /** Empty for global services (IAM, S3, Route 53...). */
  region: string;
  /** Empty (S3), twelve digits, or "aws" (AWS managed policies). */
  account: string;
  /** What follows the account: "instance/i-0abc...", "function:name", "bucket/key"... */
  resource: string;
}

const ARN = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws|):(\S+)$/;
/** An ARN inside other text: stops at whitespace, quotes and the brackets and commas around it in JSON or code. */
const ARN_IN_TEXT = /arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:[^\s"'`,;()[\]{}<>]+/;

export function parseArn(text: string): Arn | undefined {
  const m = ARN.exec(text.trim());
  if (!m) return undefined;
  const [whole, partition, service, region, account, resource] = m;
  return { text: whole, partition: partition as PartitionId, service, region, account, resource };
}

/** The first ARN in a text (a selection, a log line, a JSON document), parsed; a sentence's final period is not part of it. */
export function findArn(text: string): Arn | undefined {
  const found = ARN_IN_TEXT.exec(text);
  return found ? parseArn(found[0].replace(/\.+$/, '')) : undefined;
}

/** The resource part split into its words: "instance/i-0abc" → ["instance", "i-0abc"]. */
export function arnResourceParts(arn: Arn): string[] {
  return arn.resource.split(/[/:]/).filter(Boolean);
}
