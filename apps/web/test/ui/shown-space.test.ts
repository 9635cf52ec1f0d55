import { describe, expect, it } from 'vitest';
import { shownSpace } from '../../src/components/space/shown-space.ts';
import type { BeingItem } from '../../src/components/space/types.ts';

const loaded: BeingItem = {
  id: '@library',
  name: 'Library',
  type: 'space',
  ownerId: '@ada',
  locationId: null,
  content: 'The whole description, as `being.get` returned it.',
  modifiedAt: '2026-11-30T10:00:00.000Z',
};

describe('the space a page shows', () => {
  it('is the loaded row until sync has one', () => {
    expect(shownSpace(undefined, loaded)).toEqual({ space: loaded, stale: false });
  });

  it('is the live row when sync carried its content', () => {
    const live = { ...loaded, name: 'Renamed', content: 'New words', modifiedAt: '2026-11-30T11:00:00.000Z' };
    expect(shownSpace(live, loaded)).toEqual({ space: live, stale: false });
  });

  it("takes a description sync carried as a ref from the loaded row, never the ref's empty text", () => {
    const live = { ...loaded, name: 'Renamed', content: '', contentRef: { bytes: 40_000 } };
    expect(shownSpace(live, loaded)).toEqual({
      space: { ...loaded, name: 'Renamed', content: loaded.content },
      stale: false,
    });
  });

  it('asks for the row again when the ref is of a newer version than the loaded one', () => {
    const live = {
      ...loaded,
      content: '',
      contentRef: { bytes: 40_000 },
      modifiedAt: '2026-11-30T12:00:00.000Z',
    };
    const shown = shownSpace(live, loaded);
    expect(shown.stale).toBe(true);
    expect(shown.space.content).toBe(loaded.content);
  });
});
