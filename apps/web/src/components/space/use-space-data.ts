'use client';

import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { errorMessage } from '@/lib/error-message';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import type { BeingItem, IntentionItem } from './types';

const PAGE_SIZE = 50;

export interface SpaceData {
  /** Beings in the space: those located in it and its members, once each. */
  beings: BeingItem[];
  /** Oldest first. */
  intentions: IntentionItem[];
  status: 'loading' | 'error' | 'ready';
  error: string | undefined;
  retry: () => void;
  history: { hasEarlier: boolean; loadingEarlier: boolean; loadEarlier: () => void };
  post: (content: string) => Promise<void>;
}

/**
 * Everything the space page shows besides the space itself, from plain queries. Live sync replaces
 * this hook with one of the same shape, so the components do not change.
 */
export function useSpaceData(spaceId: string): SpaceData {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();

  const located = useQuery(trpc.being.listInLocation.queryOptions({ locationId: spaceId, limit: 100 }));
  const members = useQuery(trpc.space.members.queryOptions({ spaceId }));
  // Paged by hand rather than with tRPC's infiniteQueryOptions: that helper adds a `direction` key,
  // which the API's strict input schema rightly rejects.
  const pages = useInfiniteQuery({
    queryKey: trpc.intention.list.infiniteQueryKey({ spaceId, limit: PAGE_SIZE }),
    queryFn: ({ pageParam }) => client.intention.list.query({ spaceId, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });

  const beings = useMemo(() => {
    const byId = new Map<string, BeingItem>();
    for (const b of members.data ?? []) byId.set(b.id, b);
    for (const b of located.data?.items ?? []) byId.set(b.id, b);
    return [...byId.values()];
  }, [members.data, located.data]);

  // Pages come newest first; the log reads top to bottom, oldest first.
  const intentions = useMemo(() => (pages.data?.pages ?? []).flatMap((p) => p.items).reverse(), [pages.data]);

  const create = useMutation(trpc.intention.createUtterance.mutationOptions());
  const post = useCallback(
    async (content: string) => {
      await create.mutateAsync({ spaceId, content });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.intention.list.infiniteQueryKey({ spaceId }) }),
        queryClient.invalidateQueries({ queryKey: trpc.space.members.queryKey({ spaceId }) }),
      ]);
    },
    [create, queryClient, spaceId, trpc],
  );

  const failed = pages.error ?? located.error ?? members.error;
  return {
    beings,
    intentions,
    status: pages.isPending ? 'loading' : failed ? 'error' : 'ready',
    error: failed ? errorMessage(failed) : undefined,
    retry: () => {
      void pages.refetch();
      void located.refetch();
      void members.refetch();
    },
    history: {
      hasEarlier: pages.hasNextPage,
      loadingEarlier: pages.isFetchingNextPage,
      loadEarlier: () => void pages.fetchNextPage(),
    },
    post,
  };
}
