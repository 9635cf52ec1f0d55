'use client';

import type { IntentionView } from '@rhizom/sync';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SpaceData } from '@/components/space/space-data';
import type { BeingItem } from '@/components/space/types';
import { errorCode, errorMessage } from '@/lib/error-message';
import { takeTurns } from '@/lib/in-turn';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { useAskBeforeLeaving } from '@/lib/use-ask-before-leaving';
import { useMe } from '@/lib/use-me';
import { snapshotHasEarlier } from './limits';
import { sendWhenOnline } from './send-when-online';
import type { PageSnapshot } from './sync-client';
import { useSync, useSyncConnection } from './use-sync';

const PAGE_SIZE = 50;

export type LiveSpaceData = SpaceData &
  Pick<ReturnType<typeof useSync>, 'presence'> & {
    connection: ReturnType<typeof useSync>['status'];
    /** Every being this page knows by id, live: for authors' names, whether or not they are in the space. */
    people: ReadonlyMap<string, BeingItem>;
    /** The reader's posts that wait for the network to come back. */
    waitingIds: ReadonlySet<string>;
    /** Beings located in the space and its members, without people who are only looking. */
    memberCount: number;
    /** The space itself as its own stream reports it (name, description), once loaded. */
    space: ReturnType<typeof useSync>['beings'][number] | undefined;
  };

/**
 * The space page's `SpaceData`, fed by live sync: the space's beings and recent intentions come from the synced
 * store, the sender's own posts show at once (optimistic, replaced by their event), older history is paged
 * in on demand, and members who are located elsewhere come from the members query. `first`: the snapshot
 * the page came with, loaded instead of asking for one.
 */
export function useLiveSpaceData(spaceId: string, first?: Promise<PageSnapshot | null>): LiveSpaceData {
  const trpc = useTRPC();
  const trpcClient = useTRPCClient();
  const queryClient = useQueryClient();
  const me = useMe();
  const live = useSync(spaceId, first);
  const connection = useSyncConnection(spaceId);
  const members = useQuery(trpc.space.members.queryOptions({ spaceId }));

  // The stream also carries beings located elsewhere that show here (authors, members, people present),
  // so that their renames arrive live; only those located here are listed as in the space.
  const known = useMemo(() => {
    const byId = new Map<string, BeingItem>();
    for (const b of members.data ?? []) byId.set(b.id, b);
    for (const b of live.beings) if (b.id !== spaceId) byId.set(b.id, b);
    return byId;
  }, [members.data, live.beings, spaceId]);
  // Who the members are comes live from the space's stream once loaded (joins and leaves as events);
  // the members query, until then, and for the names of members located elsewhere.
  const memberIds = useMemo(
    () => (live.loaded ? live.memberIds : new Set((members.data ?? []).map((b) => b.id))),
    [live.loaded, live.memberIds, members.data],
  );
  const unknownMember = [...memberIds].some((id) => !known.has(id));
  useEffect(() => {
    // Someone joined whom this page does not know by name yet: ask for the members again.
    if (unknownMember)
      void queryClient.invalidateQueries({ queryKey: trpc.space.members.queryKey({ spaceId }) });
  }, [unknownMember, queryClient, trpc, spaceId]);
  const presence = useMemo(
    () => live.presence.map((entry) => ({ ...entry, name: known.get(entry.beingId)?.name ?? entry.name })),
    [live.presence, known],
  );
  const beings = useMemo(() => {
    const listed = [...known.values()].filter((b) => b.locationId === spaceId || memberIds.has(b.id));
    const byId = new Map(listed.map((b) => [b.id, b]));
    // Someone here right now is in the space even before they join or post.
    for (const entry of presence) {
      if (!byId.has(entry.beingId)) {
        byId.set(entry.beingId, {
          id: entry.beingId,
          name: entry.name,
          type: 'guest',
          ownerId: null,
          locationId: null,
          content: '',
        });
      }
    }
    return [...byId.values()];
  }, [known, memberIds, presence, spaceId]);

  // History before the snapshot's window, fetched page by page; live rows win for ids in both (an edit).
  const [earlier, setEarlier] = useState<{
    items: IntentionView[];
    hasMore: boolean | null;
    loading: boolean;
  }>({
    items: [],
    hasMore: null,
    loading: false,
  });
  // A paged-in message deleted since is gone from history too: the store never held it, so only its
  // removal says so.
  const intentions = useMemo(() => {
    const liveIds = new Set(live.intentions.map((row) => row.id));
    const older = earlier.items.filter((row) => !liveIds.has(row.id) && !live.removedIds.has(row.id));
    return [...older, ...live.intentions];
  }, [earlier.items, live.intentions, live.removedIds]);
  const hasEarlier = earlier.hasMore ?? snapshotHasEarlier(live);
  const oldestId = intentions[0]?.id;
  const loadEarlier = useCallback(() => {
    if (earlier.loading || !oldestId) return;
    setEarlier((state) => ({ ...state, loading: true }));
    trpcClient.intention.list.query({ spaceId, limit: PAGE_SIZE, cursor: oldestId }).then(
      (page) =>
        setEarlier((state) => ({
          items: [...[...page.items].reverse(), ...state.items],
          hasMore: Boolean(page.nextCursor),
          loading: false,
        })),
      () => setEarlier((state) => ({ ...state, loading: false })),
    );
  }, [earlier.loading, oldestId, spaceId, trpcClient]);

  const myId = me.being?.id;
  // One post at a time reaches the server, in the order typed: the server dates each as it stores it, so
  // two sent at once could otherwise be stored (and shown to everyone) the other way round.
  const [sendInTurn] = useState(takeTurns);
  // Posts waiting for the network (offline): shown as such until the server has them. A post queued behind
  // one that waits waits too, and says so.
  // `waitingNow` is the truth, read by `post` as it is called (its closure can be older than the page's
  // last render); `waitingIds` is its copy for rendering.
  const [waitingNow] = useState(() => new Set<string>());
  const [waitingIds, setWaitingIds] = useState<ReadonlySet<string>>(() => new Set());
  const markWaiting = useCallback(
    (id: string, waiting: boolean) => {
      if (waitingNow.has(id) === waiting) return;
      if (waiting) waitingNow.add(id);
      else waitingNow.delete(id);
      setWaitingIds(new Set(waitingNow));
    },
    [waitingNow],
  );
  // A post waiting for the network lives only in this page: leaving it would lose the post, so the browser
  // asks first. (A post already on its way is not: the server stores it even if the page goes.)
  useAskBeforeLeaving(waitingIds.size > 0);
  const post = useCallback(
    async (content: string, replyTo?: string) => {
      const id = crypto.randomUUID();
      const now = new Date().toISOString();
      const optimistic: IntentionView | undefined = myId
        ? {
            id,
            type: 'utterance',
            state: 'complete',
            ownerId: myId,
            locationId: spaceId,
            content,
            properties: replyTo ? { replyTo } : {},
            createdAt: now,
            modifiedAt: now,
          }
        : undefined;
      if (optimistic) connection?.addOptimistic(optimistic);
      const input = { spaceId, content, id, ...(replyTo ? { replyTo } : {}) };
      let attempts = 0;
      if (waitingNow.size > 0) markWaiting(id, true);
      try {
        // The id makes retries safe: a retry after a send whose answer was lost finds it stored already.
        const saved = await sendInTurn(() =>
          sendWhenOnline(
            async () => {
              attempts++;
              try {
                return await trpcClient.intention.createUtterance.mutate(input);
              } catch (error) {
                if (attempts > 1 && errorCode(error) === 'CONFLICT' && optimistic) return optimistic;
                throw error;
              }
            },
            { onWaiting: (waiting) => markWaiting(id, waiting) },
          ),
        );
        connection?.settleOptimistic(id, saved);
        // Posting can make the author a member; members who live elsewhere have no events here.
        void queryClient.invalidateQueries({ queryKey: trpc.space.members.queryKey({ spaceId }) });
      } catch (error) {
        connection?.settleOptimistic(id, null);
        throw error;
      } finally {
        markWaiting(id, false);
      }
    },
    [connection, myId, queryClient, spaceId, trpc, trpcClient, markWaiting, sendInTurn, waitingNow],
  );

  // The change reaches this page like everyone else's: as its sync event.
  const edit = useCallback(
    async (id: string, content: string) => {
      await trpcClient.intention.editUtterance.mutate({ id, content });
    },
    [trpcClient],
  );
  const remove = useCallback(
    async (id: string) => {
      await trpcClient.intention.remove.mutate({ id });
    },
    [trpcClient],
  );

  return {
    beings,
    intentions,
    status: live.loaded ? 'ready' : live.error ? 'error' : 'loading',
    error: live.loaded
      ? undefined
      : (live.error ?? (members.error ? errorMessage(members.error) : undefined)),
    retry: () => {
      void connection?.catchUp('retry');
      void members.refetch();
    },
    history: { hasEarlier, loadingEarlier: earlier.loading, loadEarlier },
    post,
    waitingIds,
    edit,
    remove,
    presence,
    people: known,
    // The stream counts every member, also those beyond the listed first ones (a crowded space).
    memberCount:
      (live.loaded ? live.memberCount : memberIds.size) +
      [...known.values()].filter((b) => b.locationId === spaceId && !memberIds.has(b.id)).length,
    connection: live.status,
    space: live.beings.find((b) => b.id === spaceId),
  };
}
