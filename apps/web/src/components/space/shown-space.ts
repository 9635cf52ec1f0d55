import type { BeingItem } from './types';

/**
 * The space as the page shows it: its live row (renames, new descriptions arrive by sync), with the
 * description of the row loaded through `being.get` when sync carried only a ref to it (too large to
 * travel to every client). `stale` says the loaded row is older than the live one: fetch it again.
 */
export function shownSpace(
  live: BeingItem | undefined,
  loaded: BeingItem,
): { space: BeingItem; stale: boolean } {
  if (!live) return { space: loaded, stale: false };
  if (!live.contentRef) return { space: live, stale: false };
  const { contentRef: _, ...rest } = live;
  return { space: { ...rest, content: loaded.content }, stale: live.modifiedAt !== loaded.modifiedAt };
}
