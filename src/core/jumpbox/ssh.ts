/**
 * The SSH command offered after a jumpbox starts. The user comes from a setting (a workspace may set it) and the
 * host from a tag or AWS, and the command is pasted into a shell: so the user must be a user name and nothing
 * else (a leading "-" would be an ssh option such as -oProxyCommand=...), and the word is shell-quoted.
 */
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$/;

/** Why `user` is not a POSIX user name (portable characters, at most 32, not starting with "-" or "."), else undefined. */
export function sshUserProblem(user: string): string | undefined {
  if (USER_NAME.test(user)) return undefined;
  return `The awsops.sshUser setting "${user}" is not a user name: use letters, digits, ".", "_" and "-" (at most 32, not starting with "-" or "."), e.g. ec2-user or ubuntu.`;
}

/** `ssh user@host` as one shell-quoted word; undefined when the user is not a user name or the host is empty. */
export function sshCommand(host: string, user = 'ec2-user'): string | undefined {
  if (sshUserProblem(user) || !host) return undefined;
  return `ssh ${shellQuote(`${user}@${host}`)}`;
}

/** One shell word: unchanged when it holds only characters no POSIX shell treats specially, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
