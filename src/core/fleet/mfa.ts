/**
 * MFA codes asked one at a time (parallel sign-ins would otherwise stack prompts) and reused per device for the
 * session, so ten profiles behind one device ask once. A cancelled or failed prompt is asked again next time.
 */
export function serialisedMfa(prompt: (mfaSerial: string) => Promise<string>): (mfaSerial: string) => Promise<string> {
  const codes = new Map<string, Promise<string>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (mfaSerial) => {
    let code = codes.get(mfaSerial);
    if (!code) {
      code = queue.catch(() => undefined).then(() => prompt(mfaSerial));
      queue = code;
      codes.set(mfaSerial, code);
      code.catch(() => codes.delete(mfaSerial));
    }
    return code;
  };
}
