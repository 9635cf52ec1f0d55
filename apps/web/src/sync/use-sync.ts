'use client';

import type { SpaceSyncState } from '@rhizom/sync/client';
import { useEffect, useReducer } from 'react';
import { useTRPCClient } from '@/lib/trpc';
import { askEarlySnapshot, loadSyncClient, type PageSnapshot, syncClientFor } from './sync-client';
import { useTransitionStore } from './use-transition-store';

const serverState: SpaceSyncState = {
  space: '',
  epoch: null,
  seq: 0,
  loaded: false,
  beings: [],
  intentions: [],
  optimisticIds: new Set(),
  activity: new Map(),
  memberIds: new Set(),
  memberCount: 0,
  intentionsCut: false,
  removedIds: new Set(),
  presence: [],
  status: 'connecting',
  error: null,
};

/**
 * Live state of a space (or another stream, `domain/streams.ts`): `{ beings, intentions, presence, status }`
 * and the rest of `SpaceSyncState`. Every component using the same stream shares one LiveKit room; the room
 * stays half a second after the last one unmounts (remounts reuse it), then leaves, so others see a person
 * who moved on go at once. `null`: nothing to follow (yet), an empty unloaded state. `first`: the snapshot
 * the page was rendered with, which the connection loads instead of asking for one.
 */
export function useSync(spaceId: string | null, first?: Promise<PageSnapshot | null>): SpaceSyncState {
  const trpc = useTRPCClient();
  const client = useSyncClient();
  useEffect(() => {
    // The snapshot need not wait for the sync client's code. Declared before the effect that starts the
    // connection, so a connection started in the same commit loads the page's snapshot.
    if ((client === null || first) && spaceId !== null) askEarlySnapshot(trpc, spaceId, first);
  }, [client, trpc, spaceId, first]);
  const connection = client === null || spaceId === null ? null : client.get(spaceId);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (client === null || spaceId === null) return;
    const release = client.retain(spaceId);
    // The grace period ran out between render and effect: render again to pick up the new connection.
    if (connection?.isClosed) rerender();
    return release;
  }, [client, spaceId, connection]);
  // Rendered in slices, one state at a time, however many packets arrive.
  return useTransitionStore(connection, serverState);
}

/** The space's connection (for optimistic posts); null during server rendering and until sync has loaded. */
export function useSyncConnection(spaceId: string) {
  return useSyncClient()?.get(spaceId) ?? null;
}

/**
 * The page's SyncClient once its code has loaded (`loadSyncClient`, started after the first render), else
 * null: on the server, while hydrating, and for the moment the chunk takes to arrive.
 */
function useSyncClient() {
  const client = syncClientFor(useTRPCClient());
  const [, loaded] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (client === null) void loadSyncClient().then(loaded);
  }, [client]);
  return client;
}
