'use client';

import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTRPC } from '@/lib/trpc';
import type { BeingItem, IntentionItem } from './types';

/**
 * Authors of the visible messages. Most are among the beings the space's stream carries (which stay live:
 * a rename arrives as an event) or are the reader; the rest are looked up once each and cached.
 */
export function useAuthors(
  beings: ReadonlyMap<string, BeingItem>,
  intentions: IntentionItem[],
  me: BeingItem | undefined,
): ReadonlyMap<string, BeingItem> {
  const trpc = useTRPC();
  const known = useMemo(() => {
    const byId = new Map(beings);
    // The reader's own posts show at once, before they are a member or listed anywhere.
    if (me && !byId.has(me.id)) byId.set(me.id, me);
    return byId;
  }, [beings, me]);
  const missing = useMemo(
    () => [...new Set(intentions.map((i) => i.ownerId))].filter((id) => !known.has(id)),
    [intentions, known],
  );
  const lookups = useQueries({
    queries: missing.map((id) => ({
      ...trpc.being.get.queryOptions({ id }),
      staleTime: 5 * 60_000,
      retry: false,
    })),
  });
  return useMemo(() => {
    const all = new Map(known);
    for (const lookup of lookups) if (lookup.data) all.set(lookup.data.id, lookup.data);
    return all;
  }, [known, lookups]);
}
