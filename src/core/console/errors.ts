import { redact } from './redact';

export type ConsoleErrorReason =
  | 'not-installed'
  | 'failed'
  /** aws-vault keeps no credentials for the profile ("profile X: credentials missing"): it does not manage it. */
  | 'no-credentials'
  | 'bad-output'
  | 'timeout'
  | 'invalid-input'
  | 'federation';

/** A console sign-in failure whose message says what to do; the message is scrubbed of URLs and secrets. */
export class ConsoleError extends Error {
  override readonly name = 'ConsoleError';

  constructor(
    readonly reason: ConsoleErrorReason,
    message: string,
  ) {
    super(redact(message));
  }
}
