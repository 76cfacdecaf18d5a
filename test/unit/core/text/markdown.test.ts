import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandLink, escapeMarkdown, unlinkMessage } from '../../../../src/core/text/markdown';
import { renderedText, renderMarkdown } from '../../../support/markdown';

/** Text a tag, an AWS error or a setting could carry, each trying to become markup. */
const HOSTILE = [
  '<img src=x>',
  '[link](http://evil)',
  '![i](x)',
  '`code` and ```fence```',
  '*bold* **strong**',
  '_em_ __strong__',
  '# heading',
  'first\n# heading\n- item\n\n    indented code\n===',
  '1. item',
  '> quote',
  '| a | b |\n|---|---|',
  '~~strike~~',
  'http://evil.example www.evil.example ops@evil.example',
  '&lt;b&gt; &amp; &#60;',
  `Unexpected token '<', "<!DOCTYPE "... is not valid JSON`,
  '\\*escaped\\* and a trailing backslash \\',
  '<script>alert(1)</script> <a href="command:x">click</a>',
  '+ {braces} [brackets] (parens) - . ! |',
];

/** The tags marked produces for markup; a paragraph is the only one plain text may become. */
const MARKUP = /<(?!\/?p>)[a-z][^>]*>/i;

describe('escapeMarkdown', () => {
  for (const input of HOSTILE) {
    it(`shows ${JSON.stringify(input)} as written, with nothing lost after it`, () => {
      // Within a line of the model's own, and as a paragraph of its own (where blocks start).
      for (const [markdown, shown] of [
        [`Before ${escapeMarkdown(input)} after <USD per hour>`, `Before ${input.replace(/\s+/g, ' ')} after`],
        [`**Title**\n\n${escapeMarkdown(input)}\n\nAfter`, `Title\n${input.replace(/\s+/g, ' ')}\nAfter`],
      ]) {
        const html = renderMarkdown(markdown);
        assert.doesNotMatch(html.replace(/<\/?strong>/g, ''), MARKUP, html);
        assert.equal(renderedText(markdown), shown);
      }
    });
  }

  it('keeps a value on one line, so it cannot start a block of its own', () => {
    assert.doesNotMatch(escapeMarkdown('a\r\nb\nc\td'), /[\r\n\t]/);
  });
});

describe('commandLink', () => {
  it('links to the command with its arguments, the label escaped', () => {
    const html = renderMarkdown(commandLink('Open *the* setting', 'workbench.action.openSettings', ['awsops.hourlyPrices']));
    assert.equal(html.trim(), '<p><a href="command:workbench.action.openSettings?%5B%22awsops.hourlyPrices%22%5D">Open *the* setting</a></p>');
  });
});

describe('unlinkMessage', () => {
  // How the VS Code workbench finds links in a notification's text (vs/base/common/linkedText.ts).
  const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

  it('leaves no link in a notification, and the text as it reads', () => {
    for (const input of ['[open](command:workbench.action.terminal.sendSequence?%7B%7D)', 'see [docs](https://evil.example) or [f](file:///etc/passwd)']) {
      assert.match(input, NOTIFICATION_LINK);
      const shown = unlinkMessage(input);
      assert.doesNotMatch(shown, NOTIFICATION_LINK);
      assert.equal(shown.replace(/\u200b/g, ''), input);
    }
    assert.equal(unlinkMessage('pair web (i-1) [a] (b)'), 'pair web (i-1) [a] (b)');
  });
});
