const probe = 'http://same-origin.invalid';

/**
 * Where to go after signing in: a path on this site, or `/`. Browsers read `\\` as `/` and drop tabs and
 * newlines in URLs, so `/\\evil.example` or `/\\t/evil.example` would leave the site; any control
 * character or backslash is refused, and what remains must resolve to this origin.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//')) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused here.
  if (/[\u0000-\u001F\u007F\\]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, probe);
  } catch {
    return '/';
  }
  if (url.origin !== probe) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
