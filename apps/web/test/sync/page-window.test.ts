import { describe, expect, it } from 'vitest';
import { forPage, LOG_WINDOW, snapshotHasEarlier } from '../../src/sync/limits.ts';

const snapshot = (count: number, intentionsCut?: boolean) => ({
  space: '@a-space',
  intentions: Array.from({ length: count }, (_, i) => ({ id: `m${i}` })),
  ...(intentionsCut === undefined ? {} : { intentionsCut }),
});

describe("a space's page carries the log's window of its snapshot", () => {
  it('keeps a snapshot that fits the window as it is, with nothing left to page in', () => {
    const fits = snapshot(LOG_WINDOW);
    expect(forPage(fits)).toBe(fits);
    expect(snapshotHasEarlier({ intentionsCut: false, ...forPage(fits) })).toBe(false);
  });

  it('keeps the newest of a longer one and says older ones are left out', () => {
    const page = forPage(snapshot(LOG_WINDOW + 1));
    expect(page.intentions).toHaveLength(LOG_WINDOW);
    expect(page.intentions[0]).toEqual({ id: 'm1' });
    expect(page.intentions.at(-1)).toEqual({ id: `m${LOG_WINDOW}` });
    expect(page.intentionsCut).toBe(true);
    expect(page.space).toBe('@a-space');
    expect(snapshotHasEarlier({ intentionsCut: false, ...page })).toBe(true);
  });

  it('keeps the cut a byte budget already made', () => {
    expect(forPage(snapshot(3, true)).intentionsCut).toBe(true);
  });
});
