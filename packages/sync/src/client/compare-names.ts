/**
 * Printable ASCII in the order of Unicode's root collation (CLDR) at base strength, which these languages'
 * collations keep for ASCII: a letter's two cases share a place. Generated with
 * `new Intl.Collator('en', { sensitivity: 'base' })`; `compare-names.test.ts` checks it against ICU.
 */
const ROOT_ORDER = ` _-,;:!?.'"()[]{}@*/\\&#%\`^+<=>|~$0123456789AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXxYyZz`;
const RANK = new Uint8Array(128);
for (let i = 0, place = 0; i < ROOT_ORDER.length; i++) {
  const code = ROOT_ORDER.charCodeAt(i);
  const sameAsPrevious = i > 0 && ROOT_ORDER[i - 1]?.toLowerCase() === ROOT_ORDER[i]?.toLowerCase();
  if (!sameAsPrevious) place++;
  RANK[code] = place;
}
/** Languages whose collation does not tailor ASCII (no "aa" as in Danish, "ch" as in Czech, dotless ı as in Turkish). */
const ROOT_ASCII_LANGUAGES = new Set(['en', 'fr', 'de', 'it', 'pt', 'nl', 'es']);

/** The ASCII order above, or undefined when a name holds anything else. */
function compareAscii(a: string, b: string): number | undefined {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = RANK[a.charCodeAt(i)];
    const y = RANK[b.charCodeAt(i)];
    if (!x || !y) return undefined;
    if (x !== y) return x - y;
  }
  const longer = a.length > b.length ? a : b;
  for (let i = length; i < longer.length; i++) if (!RANK[longer.charCodeAt(i)]) return undefined;
  return a.length - b.length;
}

let collator: Intl.Collator | undefined;
let asciiFastPath: boolean | undefined;
/** The reader's locale: the browser's, and on the server (and Node 20, without navigator) English. */
const readerLocale = () => (typeof navigator === 'undefined' ? 'en' : (navigator.language ?? 'en'));

/**
 * Orders names as the reader's locale does, ignoring case and accents. The first ICU collator in a page
 * costs 70–130 ms of main thread on a slow phone (4× throttled Chromium) while a space opens, so names
 * of printable ASCII, in a language that collates ASCII as the root order does, are compared by that
 * order's table; the result is the same. Anything else goes to one collator, made on first use
 * (`localeCompare` with options would build one per comparison).
 */
export function compareNames(a: string, b: string): number {
  asciiFastPath ??= ROOT_ASCII_LANGUAGES.has(readerLocale().split('-')[0]?.toLowerCase() ?? '');
  const fast = asciiFastPath ? compareAscii(a, b) : undefined;
  if (fast !== undefined) return Math.sign(fast);
  collator ??= new Intl.Collator(readerLocale(), { sensitivity: 'base' });
  return collator.compare(a, b);
}

/** Ids and other machine strings, by code unit: the same order everywhere, for ties and stable lists. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Intentions in the order a log shows them: oldest first, ties by id (the store's view and anything that must match it). */
export function compareCreation(
  a: { createdAt: string; id: string },
  b: { createdAt: string; id: string },
): number {
  return compareCodeUnits(a.createdAt, b.createdAt) || compareCodeUnits(a.id, b.id);
}
