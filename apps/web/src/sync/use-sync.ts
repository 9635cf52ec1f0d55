'use client';

import type { SpaceSyncState } from '@rhizom/sync/client';
import { useEffect, useMemo, useReducer, useSyncExternalStore } from 'react';
import { useTRPCClient } from '@/lib/trpc';
import { frameBatched } from './frame-batched';
import { syncClientFor } from './sync-client';

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
  presence: [],
  status: 'connecting',
  error: null,
};
const noop = () => () => {};
const getServerState = () => serverState;

/**
 * Live state of a space (or another stream, `domain/streams.ts`): `{ beings, intentions, presence, status }`
 * and the rest of `SpaceSyncState`. Every component using the same stream shares one LiveKit room; the room
 * stays half a second after the last one unmounts (remounts reuse it), then leaves, so others see a person
 * who moved on go at once. `null`: nothing to follow (yet), an empty unloaded state.
 */
export function useSync(spaceId: string | null): SpaceSyncState {
  const client = syncClientFor(useTRPCClient());
  const connection = typeof window === 'undefined' || spaceId === null ? null : client.get(spaceId);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (spaceId === null) return;
    const release = client.retain(spaceId);
    // The grace period ran out between render and effect: render again to pick up the new connection.
    if (connection?.isClosed) rerender();
    return release;
  }, [client, spaceId, connection]);
  // One render per animation frame however many packets arrive in it.
  const subscribe = useMemo(() => (connection ? frameBatched(connection.subscribe) : noop), [connection]);
  return useSyncExternalStore(subscribe, connection?.getState ?? getServerState, getServerState);
}

/** The space's connection (for optimistic posts); null during server rendering. */
export function useSyncConnection(spaceId: string) {
  const client = syncClientFor(useTRPCClient());
  return typeof window === 'undefined' ? null : client.get(spaceId);
}
