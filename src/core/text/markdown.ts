/**
 * Text from AWS, tags, settings or errors placed in Markdown (tree tooltips): shown exactly as written, never as
 * markup, a link, an image or HTML, and never swallowing what follows it (pure).
 */
export function escapeMarkdown(text: string): string {
  // CommonMark lets a backslash escape any ASCII punctuation. Escaping all of it also defuses GFM autolinks
  // (http://, www., e-mail), entities and HTML; one space for any run of blanks keeps a value from starting
  // a block (heading, list, indented code) on a line of its own.
  return text.replace(/\s+/g, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * A Markdown link that runs `command` with `args`. It works only in a MarkdownString whose isTrusted names
 * that command (enabledCommands); elsewhere it renders inert.
 */
export function commandLink(label: string, command: string, args: readonly unknown[]): string {
  return `[${escapeMarkdown(label)}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/**
 * Notification text: VS Code turns "[label](https:…|command:…|file:…)" in a message into a live link, and
 * runs commands from it. A zero-width space between "]" and "(" keeps such text plain, and looks the same.
 */
export function unlinkMessage(text: string): string {
  return text.replace(/\](?=\()/g, ']\u200b');
}
