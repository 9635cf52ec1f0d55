'use client';

import type { BeingView, SpaceActivity } from '@rhizom/sync';
import { compareCodeUnits, compareNames } from '@rhizom/sync/names';
import { useMemo } from 'react';
import { DIRECTORY_STREAM, personalStream } from '@/domain/streams';
import { useSync } from './use-sync';

export interface ListedSpace {
  id: string;
  name: string;
  visibility: BeingView['visibility'];
  /** Messages posted since this person last read the space (0 for visitors and unfollowed spaces). */
  unread: number;
}

export interface SpaceList {
  spaces: ListedSpace[];
  /** The person's own being as their personal stream has it now (a rename in another tab shows here). */
  self: BeingView | undefined;
  loading: boolean;
  error: string | null;
}

export function unreadOf(activity: SpaceActivity | undefined): number {
  return activity ? Math.max(0, activity.messages - activity.read) : 0;
}

/**
 * The spaces a person sees in the sidebar, live: the directory stream (public spaces) joined with their
 * personal stream (spaces they own or belong to, how far they have read each, and their own being). Alphabetical, so a
 * space stays where people last saw it as others are created.
 */
export function useSpaceList(beingId: string | null | undefined): SpaceList {
  const directory = useSync(DIRECTORY_STREAM);
  const personal = useSync(beingId ? personalStream(beingId) : null);
  const spaces = useMemo(() => {
    const byId = new Map<string, BeingView>();
    for (const space of [...directory.beings, ...personal.beings]) {
      if (space.type !== 'space') continue;
      const known = byId.get(space.id);
      // Both streams carry a public space one follows; the newer copy wins.
      if (!known || known.modifiedAt < space.modifiedAt) byId.set(space.id, space);
    }
    return [...byId.values()]
      .map((space) => ({
        id: space.id,
        name: space.name,
        visibility: space.visibility,
        unread: unreadOf(personal.activity.get(space.id)),
      }))
      .sort((a, b) => compareNames(a.name, b.name) || compareCodeUnits(a.id, b.id));
  }, [directory.beings, personal.beings, personal.activity]);
  return {
    spaces,
    self: personal.beings.find((being) => being.id === beingId),
    loading: !directory.loaded || (Boolean(beingId) && !personal.loaded) || beingId === undefined,
    error: directory.error ?? personal.error,
  };
}
