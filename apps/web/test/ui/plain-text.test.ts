import fc from 'fast-check';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import ReactMarkdown from 'react-markdown';
import remarkBreaks from 'remark-breaks';
import remarkGfm from 'remark-gfm';
import { describe, expect, it } from 'vitest';
import { isPlainText } from '../../src/components/markdown/plain-text.ts';

/** What the Markdown component renders for `text` through the parser. */
function parsed(text: string): string {
  return renderToStaticMarkup(
    createElement(ReactMarkdown, { remarkPlugins: [remarkGfm, remarkBreaks], skipHtml: true }, text),
  );
}

const plain = (text: string) => renderToStaticMarkup(createElement('p', null, text));

describe('plain lines skip the Markdown parser', () => {
  it('takes typical chat lines', () => {
    for (const text of ['Burst message 12', 'ok, see you at 5.30?', 'Ça marche 👍', "Don't (yet) - later!"]) {
      expect(isPlainText(text)).toBe(true);
      expect(plain(text)).toBe(parsed(text));
    }
  });

  it('leaves anything with Markdown meaning to the parser', () => {
    for (const text of [
      'some **bold**',
      '- a list',
      '1. first',
      '# heading',
      '> quote',
      'a [link](https://example.com)',
      'see www.example.com',
      'mail ada@example.com',
      'http://example.com',
      'a_b_c',
      '~~gone~~',
      'two\nlines',
      ' indented',
      'trailing ',
      'a | b',
      'x &amp; y',
      'back\\slash',
      '`code`',
    ]) {
      expect(isPlainText(text)).toBe(false);
    }
  });

  it('renders exactly what the parser would, for any text it takes', () => {
    const chars = fc.constantFrom(
      ...'aZé1 ,.;:?!\'"’()-*_~[]#>|<&\\`@/w\n\t+=👍'.split(''),
      'www.',
      '1.',
      '- ',
    );
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        if (isPlainText(text)) expect(plain(text)).toBe(parsed(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
