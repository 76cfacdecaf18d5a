import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { endpointProblem } from '../session/endpoint';
import type { PartitionId } from '../session/regions';
import { awsVaultLogin, type RunProcess } from './awsVault';
import { ConsoleError } from './errors';
import { federationEndpoint, partitionFor, partitionOfSigninUrl } from './hosts';
import { redact } from './redact';

/**
 * A federation login URL with its Destination swapped for another page; every other byte (Issuer,
 * SigninToken...) stays as it was. aws-vault's `--path` is not used for this: it ignores it without a region.
 */
export function replaceDestination(loginUrl: string, destination: string): string {
  checkedHttps(destination, 'destination');
  const queryStart = loginUrl.indexOf('?');
  const params = queryStart < 0 ? [] : loginUrl.slice(queryStart + 1).split('&');
  // The URL holds a SigninToken, so it is never quoted in the message.
  if (!params.includes('Action=login') || !URL.canParse(loginUrl)) {
    throw new ConsoleError('bad-output', 'The sign-in URL is not a federation login URL (no Action=login).');
  }
  const value = `Destination=${encodeURIComponent(destination)}`;
  const index = params.findIndex((p) => p.split('=')[0] === 'Destination');
  if (index < 0) params.push(value);
  else params[index] = value;
  return `${loginUrl.slice(0, queryStart)}?${params.join('&')}`;
}

export interface FederationOptions {
  /** The federation endpoint (getSigninToken and login); the destination partition's by default. Tests point it at a stand-in. */
  endpoint?: string;
  /** Shown by AWS when the console session ends. */
  issuer?: string;
  timeoutMs?: number;
}

/** Temporary credentials (GetFederationToken, AssumeRole, SSO...) → a console login URL for the destination. */
export async function federatedLoginUrl(
  credentials: AwsCredentialIdentity,
  destination: string,
  region: string,
  options: FederationOptions = {},
): Promise<string> {
  checkedHttps(destination, 'destination');
  if (!credentials.sessionToken) {
    throw new ConsoleError('invalid-input', 'Console federation needs temporary credentials (with a session token).');
  }
  const endpoint = options.endpoint ?? federationEndpoint(region);
  const problem = endpointProblem(endpoint);
  if (problem) throw new ConsoleError('invalid-input', problem);
  const session = JSON.stringify({
    sessionId: credentials.accessKeyId,
    sessionKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
  });
  const token = await getSigninToken(endpoint, session, options.timeoutMs ?? 10_000);
  const query = [
    'Action=login',
    `Issuer=${encodeURIComponent(options.issuer ?? 'aws-ops')}`,
    `Destination=${encodeURIComponent(destination)}`,
    `SigninToken=${encodeURIComponent(token)}`,
  ];
  return `${endpoint}?${query.join('&')}`;
}

async function getSigninToken(endpoint: string, session: string, timeoutMs: number): Promise<string> {
  const host = new URL(endpoint).host;
  let response: Response;
  try {
    response = await fetch(`${endpoint}?Action=getSigninToken&Session=${encodeURIComponent(session)}`, {
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    throw new ConsoleError('federation', `The AWS sign-in endpoint ${host} could not be reached (${networkReason(error)}).`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ConsoleError(
      'federation',
      `The AWS sign-in endpoint ${host} refused the temporary credentials (HTTP ${response.status}). ` +
        'They may have expired or come from a partition other than the page: refresh the profile and retry.',
    );
  }
  const body = (await response.json().catch(() => undefined)) as { SigninToken?: unknown } | undefined;
  if (typeof body?.SigninToken !== 'string' || !body.SigninToken) {
    throw new ConsoleError('federation', `The AWS sign-in endpoint ${host} answered without a SigninToken.`);
  }
  return body.SigninToken;
}

function networkReason(error: unknown): string {
  const e = error as { name?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError') return 'timed out';
  return e?.cause?.code ?? e?.name ?? 'network error';
}

function checkedHttps(url: string, what: string): void {
  if (!URL.canParse(url) || new URL(url).protocol !== 'https:') {
    throw new ConsoleError('invalid-input', `The ${what} must be an https:// URL.`);
  }
}

/** Where a console page should open, and as whom. */
export interface ConsoleTarget {
  /** The page: a service's url(region) or resourceConsoleUrl(...). */
  destination: string;
  region: string;
  profile?: string;
}

/** How the user can be signed in; the first that applies is used. */
export interface SigninRoute {
  awsVault?: { run: RunProcess; path: string; mfaToken?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv };
  /** The profile's credentials; used for federation when they are temporary. */
  credentials?: AwsCredentialIdentityProvider;
  federation?: FederationOptions;
}

export interface ConsoleSignin {
  /** Contains a SigninToken when signedIn: open it, never log or store it. */
  url: string;
  signedIn: boolean;
  via: 'aws-vault' | 'federation' | 'plain';
  /** Why the user must sign in themselves (plain only); safe to show and log. */
  note?: string;
}

/**
 * aws-vault login → federation with temporary credentials → the plain page (the user signs in).
 * aws-vault failures are thrown (the user chose it), except for a profile aws-vault keeps no credentials for:
 * that one goes on as if aws-vault were absent. Credential failures fall back to the plain page.
 */
export async function consoleSigninUrl(target: ConsoleTarget, route: SigninRoute): Promise<ConsoleSignin> {
  const partition = partitionFor(target.region);
  checkedHttps(target.destination, 'destination');
  if (route.awsVault) {
    try {
      return await awsVaultSignin(target, partition, route.awsVault);
    } catch (error) {
      if (!(error instanceof ConsoleError && error.reason === 'no-credentials')) throw error;
    }
  }
  const plain = (note: string): ConsoleSignin => ({ url: target.destination, signedIn: false, via: 'plain', note });
  if (!route.credentials) return plain('No credentials to sign in with: sign in to the console yourself.');
  let credentials: AwsCredentialIdentity;
  try {
    credentials = await route.credentials();
  } catch (error) {
    const reason = redact(String((error as Error)?.message ?? error).split('\n')[0]);
    return plain(`Could not get credentials (${reason}): sign in to the console yourself.`);
  }
  if (!credentials.sessionToken) {
    return plain(
      'The profile has long-term access keys, which cannot open a console session: sign in yourself, ' +
        'or use aws-vault (awsops.awsVault) for one-click sign-in.',
    );
  }
  return {
    url: await federatedLoginUrl(credentials, target.destination, target.region, route.federation),
    signedIn: true,
    via: 'federation',
  };
}

async function awsVaultSignin(target: ConsoleTarget, partition: PartitionId, awsVault: NonNullable<SigninRoute['awsVault']>): Promise<ConsoleSignin> {
  if (!target.profile) throw new ConsoleError('invalid-input', 'Signing in with aws-vault needs a profile: pick one first.');
  const { run, path, ...options } = awsVault;
  const loginUrl = await awsVaultLogin(run, path, target.profile, { ...options, region: target.region });
  const signinPartition = partitionOfSigninUrl(new URL(loginUrl));
  if (signinPartition !== partition) {
    throw new ConsoleError(
      'bad-output',
      `aws-vault signed in to the ${signinPartition} partition but ${target.region} is in ${partition}: ` +
        'update aws-vault (it picks the sign-in host from --region).',
    );
  }
  return { url: replaceDestination(loginUrl, target.destination), signedIn: true, via: 'aws-vault' };
}
