import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
});
/** Mostly ASCII, sometimes an accent, an emoji or a control character: both of compareNames' paths. */
const anyName = fc.oneof(
  { weight: 4, arbitrary: printable },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('Éva', 'eva', 'Zoë', 'zoe', 'Ångström', 'straße', 'Strasse', 'a\tb'),
  },
);

/** compareNames as a reader whose browser speaks `language` gets it (the module reads the language once). */
async function compareNamesIn(language: string) {
  vi.resetModules();
  vi.stubGlobal('navigator', { language });
  return (await import('../src/client/compare-names.ts')).compareNames;
}

afterEach(() => vi.unstubAllGlobals());

describe('compareNames', () => {
  it.each(['en-US', 'en-GB', 'fr', 'de-DE', 'it', 'pt-BR', 'nl', 'es'])(
    'orders names as ICU does for %s, case and accents aside',
    async (language) => {
      const compareNames = await compareNamesIn(language);
      const icu = new Intl.Collator(language, { sensitivity: 'base' });
      fc.assert(
        fc.property(anyName, anyName, (a, b) => {
          expect(Math.sign(compareNames(a, b))).toBe(Math.sign(icu.compare(a, b)));
        }),
        { numRuns: 3_000 },
      );
    },
  );

  it('leaves languages that tailor ASCII to their collation: Danish "aa" after "z", Turkish dotless ı', async () => {
    const danish = await compareNamesIn('da');
    expect(danish('Aarhus', 'Zurich')).toBeGreaterThan(0);
    const turkish = await compareNamesIn('tr');
    const icu = new Intl.Collator('tr', { sensitivity: 'base' });
    expect(Math.sign(turkish('Irmak', 'ilke'))).toBe(Math.sign(icu.compare('Irmak', 'ilke')));
  });

  it('treats a name and its other case as equal, so callers break the tie', async () => {
    const compareNames = await compareNamesIn('en');
    expect(compareNames('bench', 'Bench')).toBe(0);
    expect(compareNames('Busy bench', 'busy bench 2')).toBeLessThan(0);
    expect(compareNames('Zebra', 'apple')).toBeGreaterThan(0);
  });
});
