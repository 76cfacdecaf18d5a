/** `prod-*` / `acct-?` style patterns, matched against whole profile names. */
export function matchesPattern(name: string, pattern: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`).test(name);
}

/** The profile names selected by names or patterns, in the order of `names`, each once. */
export function selectProfileNames(names: readonly string[], patterns: readonly string[]): string[] {
  return names.filter((name) => patterns.some((pattern) => matchesPattern(name, pattern.trim())));
}
