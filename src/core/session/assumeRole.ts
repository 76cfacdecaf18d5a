import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { tagCall } from '../fleet/classify';
import { memoizeCredentials } from './session';

/**
 * Credentials of `roleArn`, assumed with `source` (an Organizations member account reached from the management
 * profile). Asked once and reused until shortly before they expire, so every region and view shares one AssumeRole.
 */
export function assumeRoleCredentials(
  source: AwsCredentialIdentityProvider,
  roleArn: string,
  sts: { region: string; endpointUrl?: string },
): AwsCredentialIdentityProvider {
  return memoizeCredentials(async () => {
    const client = new STSClient({ region: sts.region, endpoint: sts.endpointUrl, credentials: source, retryMode: 'adaptive' });
    try {
      const { Credentials: c } = await tagCall('sts:AssumeRole', client.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'aws-ops' })));
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${roleArn} returned no credentials`);
      return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    } finally {
      client.destroy();
    }
  });
}
