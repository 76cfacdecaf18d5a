import { redact } from '../console/redact';

/** Turns SDK and network errors into a message that says what went wrong and what to do, scrubbed of secrets. */
export interface ExplainedError {
  code: string;
  message: string;
  hint: string;
}

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  Code?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const HINTS: ReadonlyArray<[RegExp, string]> = [
  [/^(AccessDenied|UnauthorizedOperation|AccessDeniedException|AuthFailure)$/, 'Your identity lacks an IAM permission for this call: ask for it, or pick another profile.'],
  [/^(ExpiredToken|ExpiredTokenException|RequestExpired|TokenRefreshRequired)$/, 'Your session has expired: sign in again (aws sso login / aws-vault) and refresh.'],
  [/^(InvalidClientTokenId|UnrecognizedClientException|SignatureDoesNotMatch|InvalidAccessKeyId)$/, 'The credentials are not valid for this account or endpoint: check the profile.'],
  [/^CredentialsProviderError$/, 'No credentials could be found: pick a profile with "AWS Ops: Select Profile" or configure ~/.aws.'],
  [/^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|TimeoutError|EndpointUnreachable)$/, 'The AWS endpoint could not be reached: check the network, the region, and the awsops.endpointUrl setting.'],
  [/^(RequestLimitExceeded|Throttling|ThrottlingException)$/, 'AWS is throttling requests: wait a moment and retry.'],
];

export function explainError(error: unknown): ExplainedError {
  const e = (error ?? {}) as ErrorLike;
  const code = networkCode(e) ?? e.Code ?? e.name ?? e.code ?? 'Error';
  // A failing credential_process is reported with its whole command line, which may carry a password.
  const message = redact((e.message || String(error)).split('\n')[0]);
  const hint = HINTS.find(([pattern]) => pattern.test(code))?.[1] ?? 'See the AWS Ops log for the failing call.';
  return { code, message, hint };
}

function networkCode(e: ErrorLike): string | undefined {
  for (let cur: ErrorLike | undefined = e, depth = 0; cur && depth < 4; cur = cur.cause as ErrorLike, depth++) {
    if (cur.code && /^E[A-Z]+$/.test(cur.code)) return cur.code;
  }
  return undefined;
}
