/** How long a code is offered to the other profiles of a device: a TOTP code is only good for about this long. */
export const MFA_CODE_REUSE_MS = 30_000;

/**
 * MFA codes asked one at a time (parallel sign-ins would otherwise stack prompts) and reused per device while
 * still fresh, so ten profiles behind one device ask once per refresh. A cancelled or failed prompt, or a code
 * older than `reuseMs` (the sign-in after expiry needs a new one), is asked again.
 */
export function serialisedMfa(prompt: (mfaSerial: string) => Promise<string>, reuseMs = MFA_CODE_REUSE_MS, now = Date.now): (mfaSerial: string) => Promise<string> {
  const codes = new Map<string, { code: Promise<string>; askedAt: number }>();
  let queue: Promise<unknown> = Promise.resolve();
  return (mfaSerial) => {
    const known = codes.get(mfaSerial);
    if (known && now() - known.askedAt < reuseMs) return known.code;
    const code = queue.catch(() => undefined).then(() => prompt(mfaSerial));
    queue = code;
    codes.set(mfaSerial, { code, askedAt: now() });
    code.catch(() => codes.delete(mfaSerial));
    return code;
  };
}
