let collator: Intl.Collator | undefined;

/**
 * Orders names as the reader's locale does, ignoring case and accents. One collator, made on first use:
 * `localeCompare` with options builds a new one on every comparison, each costing about a millisecond.
 */
export function compareNames(a: string, b: string): number {
  collator ??= new Intl.Collator(undefined, { sensitivity: 'base' });
  return collator.compare(a, b);
}
