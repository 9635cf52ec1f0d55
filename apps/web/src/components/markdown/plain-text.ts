/**
 * One line that Markdown (GFM, as `Markdown` renders it) turns into a single paragraph of exactly these
 * characters: it starts with a letter (no list, heading, quote or code block), ends without a space, and
 * holds only letters, digits, marks, emoji, spaces and punctuation that means nothing to Markdown (no
 * `*_~[]#>|<&\`, no `@` or `/` of an autolink). Most chat messages are such lines; they skip the parser.
 */
const CHARS = String.raw`\p{L}\p{N}\p{M}\p{Extended_Pictographic}\u200d\ufe0f,.;:?!'"’()-`;
const PLAIN = new RegExp(`^\\p{L}(?:[ ${CHARS}]*[${CHARS}])?$`, 'u');

/** `www.` starts a GFM autolink even without a scheme. */
const BARE_LINK = /www\./i;

export function isPlainText(text: string): boolean {
  return PLAIN.test(text) && !BARE_LINK.test(text);
}
