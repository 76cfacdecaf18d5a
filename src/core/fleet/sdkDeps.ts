import { OrganizationsClient, paginateListAccounts } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { assumeRoleCredentials } from '../session/assumeRole';
import { tagCall } from './classify';
import type { FleetDeps } from './targets';

export interface FleetSdkOptions {
  /** Region of the STS and Organizations calls. */
  region: string;
  endpointUrl?: string;
  profileNames(): Promise<string[]>;
  credentials(profile: string): AwsCredentialIdentityProvider;
  /** A member account's credentials; by default assumed afresh here (the extension shares its session pool's). */
  assumeRole?(profile: string, roleArn: string): AwsCredentialIdentityProvider;
}

/** FleetDeps on the SDK: GetCallerIdentity, ListAccounts (paginated), AssumeRole per member account. */
export function sdkFleetDeps(options: FleetSdkOptions): FleetDeps {
  const config = (credentials: AwsCredentialIdentityProvider) => ({ region: options.region, endpoint: options.endpointUrl, credentials, retryMode: 'adaptive' });
  return {
    profileNames: options.profileNames,
    credentials: options.credentials,
    accountOf: async (credentials, signal) => {
      const sts = new STSClient(config(credentials));
      try {
        const identity = await tagCall('sts:GetCallerIdentity', sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal }));
        return identity.Account ?? '';
      } finally {
        sts.destroy();
      }
    },
    organizationAccounts: async (credentials) => {
      const client = new OrganizationsClient(config(credentials));
      try {
        const read = async () => {
          const accounts: Array<{ id: string; name: string }> = [];
          for await (const page of paginateListAccounts({ client }, {})) {
            for (const a of page.Accounts ?? []) if (a.Id && (a.Status ?? 'ACTIVE') === 'ACTIVE') accounts.push({ id: a.Id, name: a.Name ?? a.Id });
          }
          return accounts;
        };
        return await tagCall('organizations:ListAccounts', read());
      } finally {
        client.destroy();
      }
    },
    assumeRole: options.assumeRole ?? ((profile, roleArn) => assumeRoleCredentials(options.credentials(profile), roleArn, { region: options.region, endpointUrl: options.endpointUrl })),
  };
}
