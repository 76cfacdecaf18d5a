import { explainError } from '../session/errors';
import type { FleetProblem, FleetTarget } from './model';

interface CallFailure {
  $fleetCall?: string;
}

/** Marks which call failed, so that an AccessDenied row can name it. */
export function tagCall<T>(call: string, promise: Promise<T>): Promise<T> {
  return promise.catch((error: unknown) => {
    if (error && typeof error === 'object') (error as CallFailure).$fleetCall ??= call;
    throw error;
  });
}

/** What went wrong in one account and how to fix it, said for that account's profile and role. */
export function classifyFleetError(error: unknown, target: Pick<FleetTarget, 'profile' | 'roleArn'>): FleetProblem {
  const { code, message } = explainError(error);
  // IAM names the denied call and resource: "... is not authorized to perform: sts:AssumeRole on resource: arn:...".
  const denial = /perform: (\S+)(?: on resource: (\S+))?/.exec(message);
  const call = denial?.[1] ?? (error as CallFailure | undefined)?.$fleetCall;
  const roleArn = target.roleArn ?? (denial?.[1] === 'sts:AssumeRole' ? denial[2] : undefined);
  const text = `${code}: ${message}`;
  if (/sso|token.*(expired|refresh)|refresh.*token/i.test(text) && /sso/i.test(text)) {
    return { kind: 'sso-expired', message: `SSO session of ${target.profile} has expired`, fix: `Run aws sso login --profile ${target.profile}`, command: `aws sso login --profile ${target.profile}` };
  }
  if (roleArn && call === 'sts:AssumeRole') {
    return { kind: 'bad-role', message: `Cannot assume ${roleArn}: ${message}`, fix: `Check that role ${roleArn} exists and trusts ${target.profile}` };
  }
  if (/^(AccessDenied|UnauthorizedOperation|AccessDeniedException|AuthFailure)$/.test(code)) {
    const what = call ?? 'a call';
    return { kind: 'access-denied', message: `Access denied to ${what}`, fix: `Grant ${what} to the identity of ${target.profile}${roleArn ? ` (role ${roleArn})` : ''}` };
  }
  if (/^(ExpiredToken|ExpiredTokenException|RequestExpired|TokenRefreshRequired)$/.test(code)) {
    return { kind: 'expired', message: `Credentials of ${target.profile} have expired`, fix: `Sign in again for ${target.profile} (aws-vault / aws sso login) and refresh` };
  }
  if (code === 'CredentialsProviderError') {
    return { kind: 'no-credentials', message, fix: `Check profile ${target.profile} in ~/.aws/config` };
  }
  if (code === 'FleetTimeout') return { kind: 'timeout', message, fix: 'The account answered too slowly: refresh, or raise awsops.fleet.accountTimeoutSeconds' };
  if (/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError)$/.test(code)) {
    return { kind: 'unreachable', message, fix: 'Check the network and the awsops.endpointUrl setting' };
  }
  return { kind: 'other', message: text, fix: 'See the AWS Ops log for the failing call' };
}
