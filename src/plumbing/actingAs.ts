import type { AccountRef } from '../core/fleet/model';
import type { AwsContext } from './awsContext';

/**
 * Who and where a change acts, said the same way in every confirmation of a change to AWS:
 * "profile prod · account 123456789012 · region eu-west-1". A row of a fleet names its own account (and the
 * role assumed in it), not the chosen profile's.
 */
export async function actingAs(context: AwsContext, regions: string | readonly string[], account?: AccountRef): Promise<string> {
  const where = [...new Set(typeof regions === 'string' ? [regions] : regions)];
  const region = `region${where.length === 1 ? '' : 's'} ${where.join(', ')}`;
  if (account) {
    const as = account.roleArn ? ` as ${account.roleArn}` : '';
    return [`profile ${account.profile}${as}`, `account ${account.label} (${account.accountId})`, region].join(' · ');
  }
  const identity = await context.identity();
  const { profile } = context.settings();
  return [
    profile ? `profile ${profile}` : 'default credentials (no profile)',
    `account ${identity?.account || 'unknown (STS GetCallerIdentity failed: see the log)'}`,
    region,
  ].join(' · ');
}

/** A confirmation's detail: where it acts first, then what it does. */
export async function confirmDetail(context: AwsContext, regions: string | readonly string[], detail: string, account?: AccountRef): Promise<string> {
  return `${await actingAs(context, regions, account)}\n\n${detail}`;
}
