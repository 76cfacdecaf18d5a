import { spawn } from 'node:child_process';
import { ConsoleError } from './errors';
import { partitionFor, partitionOfSigninUrl } from './hosts';
import { redact } from './redact';

export interface ProcessResult {
  /** Exit code; null when the process was killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs an executable with an argument array and no shell. Rejects only when it cannot be started
 * (the error's code says why: ENOENT, EACCES...).
 */
export type RunProcess = (file: string, args: readonly string[], options: RunOptions) => Promise<ProcessResult>;

/** Output beyond this is dropped: a sign-in URL or credential JSON is a few KiB. */
const MAX_OUTPUT = 256 * 1024;
const POSIX = process.platform !== 'win32';

export const runProcess: RunProcess = (file, args, { timeoutMs, env }) =>
  new Promise((resolve, reject) => {
    const child = spawn(file, [...args], {
      shell: false,
      // stdin is closed: a prompt aws-vault cannot show fails at once instead of waiting forever.
      stdio: ['ignore', 'pipe', 'pipe'],
      env: env ?? process.env,
      windowsHide: true,
      // Own process group on POSIX, so a timeout also ends helpers it started (pinentry, pass, ...).
      detached: POSIX,
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString()).slice(0, MAX_OUTPUT)));
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(0, MAX_OUTPUT)));
    const timer = setTimeout(() => {
      timedOut = true;
      kill(child.pid, () => child.kill('SIGKILL'));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });

function kill(pid: number | undefined, fallback: () => void): void {
  if (!POSIX || pid === undefined) return fallback();
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

export interface AwsVaultOptions {
  /** Default 60 s: long enough for a keychain or MFA dialog aws-vault shows itself. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface AwsVaultLoginOptions extends AwsVaultOptions {
  mfaToken?: string;
  /** Also picks the partition's sign-in host: aws-vault chooses it by region. */
  region?: string;
}

export const DEFAULT_AWS_VAULT_TIMEOUT_MS = 60_000;

/** `aws-vault login <profile> --stdout`: the federation login URL aws-vault made for the profile. */
export async function awsVaultLogin(
  run: RunProcess,
  awsVaultPath: string,
  profile: string,
  options: AwsVaultLoginOptions = {},
): Promise<string> {
  const args = ['login', checkedProfile(profile), '--stdout'];
  if (options.mfaToken !== undefined) args.push('--mfa-token', checkedMfaToken(options.mfaToken));
  if (options.region) {
    partitionFor(options.region); // only a real region name may become an argument
    args.push('--region', options.region);
  }
  const stdout = await runAwsVault(run, awsVaultPath, args, profile, options);
  const text = stdout.trim();
  if (!isSigninUrl(text)) {
    throw new ConsoleError(
      'bad-output',
      `aws-vault printed no AWS sign-in URL for profile "${profile}" (${text.length} characters of other output). ` +
        `Check that awsops.awsVault.path names aws-vault (${awsVaultPath}) and that it supports "login --stdout".`,
    );
  }
  return text;
}

function isSigninUrl(text: string): boolean {
  if (/\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'https:' && partitionOfSigninUrl(url) !== undefined && url.searchParams.has('SigninToken');
  } catch {
    return false;
  }
}

/**
 * Runs aws-vault and returns its stdout, or throws a ConsoleError saying what to do. Nothing aws-vault
 * prints is quoted unscrubbed.
 */
export async function runAwsVault(
  run: RunProcess,
  awsVaultPath: string,
  args: readonly string[],
  profile: string,
  options: AwsVaultOptions,
): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_AWS_VAULT_TIMEOUT_MS;
  let result: ProcessResult;
  try {
    result = await run(awsVaultPath, args, { timeoutMs, env: options.env });
  } catch (error) {
    throw startFailure(error, awsVaultPath);
  }
  if (result.timedOut) {
    throw new ConsoleError(
      'timeout',
      `aws-vault ${args[0]} for profile "${profile}" did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped. ` +
        'It is most likely waiting for an MFA code or a keychain/password prompt: unlock the keychain, set mfa_serial ' +
        `in the profile so AWS Ops asks for the code, or run "aws-vault ${args[0]} ${profile}" once in a terminal.`,
    );
  }
  if (result.code !== 0) {
    const said = errorLine(result.stderr);
    throw new ConsoleError(
      said?.endsWith(': credentials missing') ? 'no-credentials' : 'failed',
      `aws-vault ${args[0]} failed for profile "${profile}" (exit ${result.code ?? 'signal'})` +
        (said ? `: ${said.replace(/[.!]?$/, '.')}` : '.') +
        ` Check the profile with "aws-vault list" and ~/.aws/config.`,
    );
  }
  return result.stdout;
}

function startFailure(error: unknown, awsVaultPath: string): ConsoleError {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') {
    return new ConsoleError(
      'not-installed',
      `aws-vault was not found ("${awsVaultPath}"). Install it (https://github.com/99designs/aws-vault, e.g. ` +
        '"brew install aws-vault") or set the awsops.awsVault.path setting to its full path.',
    );
  }
  if (code === 'EACCES') {
    return new ConsoleError(
      'not-installed',
      `"${awsVaultPath}" cannot be executed (permission denied): point awsops.awsVault.path at the aws-vault binary.`,
    );
  }
  return new ConsoleError('failed', `aws-vault could not be started (${code ?? 'unknown error'}).`);
}

/** aws-vault (kingpin) reports "aws-vault: error: <command>: <reason>"; else the first line is the best clue. */
function errorLine(stderr: string): string | undefined {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  // A prompt without a newline (e.g. "Enter MFA code ...: ") can precede the error on the same line.
  const errorAt = (l: string) => l.indexOf('aws-vault: error:');
  const tagged = lines.find((l) => errorAt(l) >= 0);
  const line = tagged?.slice(errorAt(tagged)) ?? lines[0];
  if (!line) return undefined;
  // Scrubbed before it is shortened, so a cut cannot leave a token fragment too short to be recognised.
  const scrubbed = redact(line);
  return scrubbed.length > 300 ? `${scrubbed.slice(0, 300)}…` : scrubbed;
}

/** A profile name is passed as an argument: one starting with "-" would be read as a flag. */
export function checkedProfile(profile: string): string {
  if (!profile || profile.startsWith('-') || [...profile].some((c) => c.charCodeAt(0) < 0x20)) {
    throw new ConsoleError('invalid-input', `"${profile}" is not a usable profile name.`);
  }
  return profile;
}

export function checkedMfaToken(token: string): string {
  const trimmed = token.trim();
  if (!/^\d{6}$/.test(trimmed)) throw new ConsoleError('invalid-input', 'An MFA code is 6 digits.');
  return trimmed;
}
