'use client';

import type { SyncClient } from '@rhizom/sync/client';
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '../server/routers/index';
import type { createSyncClient } from './create-sync-client';

let create: typeof createSyncClient | undefined;
let loading: Promise<void> | undefined;
const clients = new WeakMap<object, SyncClient>();

/**
 * Loads the sync client's code, livekit-client being most of it (580 kB), as a chunk of its own once the
 * page is up: the page's first paint and its hydration neither wait for that code nor evaluate it.
 * livekit-client first, then the rest (the sync client and its schemas), with a task boundary between:
 * compiling and running both at once was one 260–600 ms task at 4× CPU throttling.
 */
export function loadSyncClient(): Promise<void> {
  loading ??= (async () => {
    await import('livekit-client');
    await new Promise((resolve) => setTimeout(resolve));
    create = (await import('./create-sync-client')).createSyncClient;
  })();
  return loading;
}

/**
 * The page's one SyncClient (one LiveKit room per space), or null until `loadSyncClient` has its code.
 * Kept per tRPC client so tests and providers that make their own get their own.
 */
export function syncClientFor(trpc: TRPCClient<AppRouter>): SyncClient | null {
  if (!create) return null;
  let client = clients.get(trpc);
  if (!client) {
    client = create(trpc);
    clients.set(trpc, client);
  }
  return client;
}
