/**
 * The SDK's ini parser silently skips lines it does not understand, so a typo can make a profile vanish.
 * This finds such lines (by number only) so the user is told where the file is malformed.
 */
export interface IniProblem {
  line: number;
}

const SECTION = /^\s*\[[^\]]+\]\s*([#;].*)?$/;
const ASSIGNMENT = /^\s*[^=\s][^=]*=.*$/;
const BLANK_OR_COMMENT = /^\s*([#;].*)?$/;
const CONTINUATION = /^\s+\S/;

export function findIniProblems(content: string): IniProblem[] {
  const problems: IniProblem[] = [];
  let inSection = false;
  content.split(/\r?\n/).forEach((text, index) => {
    if (BLANK_OR_COMMENT.test(text)) return;
    if (SECTION.test(text)) {
      inSection = true;
      return;
    }
    const ok = inSection && (ASSIGNMENT.test(text) || CONTINUATION.test(text));
    // The line's text is never echoed: it may hold a secret key.
    if (!ok) problems.push({ line: index + 1 });
  });
  return problems;
}
