/** Returns an error message when a custom endpoint URL cannot be used, else undefined. */
export function endpointProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `Invalid endpoint URL "${url}": expected e.g. http://127.0.0.1:5000 or https://ec2.example.internal.`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `Invalid endpoint URL "${url}": only http:// and https:// endpoints are supported.`;
  }
  if (parsed.username || parsed.password) {
    return 'Invalid endpoint URL: it must not carry a user name or password.';
  }
  return undefined;
}
