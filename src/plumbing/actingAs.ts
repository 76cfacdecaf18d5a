import type { AwsContext } from './awsContext';

/**
 * Who and where a change acts, said the same way in every confirmation of a change to AWS:
 * "profile prod · account 123456789012 · region eu-west-1".
 */
export async function actingAs(context: AwsContext, regions: string | readonly string[]): Promise<string> {
  const identity = await context.identity();
  const { profile } = context.settings();
  const where = [...new Set(typeof regions === 'string' ? [regions] : regions)];
  return [
    profile ? `profile ${profile}` : 'default credentials (no profile)',
    `account ${identity?.account || 'unknown (STS GetCallerIdentity failed: see the log)'}`,
    `region${where.length === 1 ? '' : 's'} ${where.join(', ')}`,
  ].join(' · ');
}

/** A confirmation's detail: where it acts first, then what it does. */
export async function confirmDetail(context: AwsContext, regions: string | readonly string[], detail: string): Promise<string> {
  return `${await actingAs(context, regions)}\n\n${detail}`;
}
