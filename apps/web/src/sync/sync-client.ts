'use client';

import type { SyncClient } from '@rhizom/sync/client';
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '../server/routers/index';
import type { createSyncClient } from './create-sync-client';

let create: typeof createSyncClient | undefined;
let loading: Promise<void> | undefined;
const clients = new WeakMap<object, SyncClient>();

type Snapshot = ReturnType<TRPCClient<AppRouter>['sync']['snapshot']['query']>;
/** Snapshots asked for while the sync client's code loads, by tRPC client, then by stream. */
const early = new WeakMap<object, Map<string, { askedAt: number; answer: Snapshot }>>();
/** An early snapshot older than this is not used: the connection asks again (catch-up would cover it, at more cost). */
const EARLY_SNAPSHOT_MS = 15_000;

/**
 * Asks for a stream's snapshot before the sync client's code has loaded, so the request does not wait for
 * livekit-client to arrive and compile (1–2 s at 4× CPU throttling, while the snapshot needs none of it).
 * The connection takes it as its first load (`takeEarlySnapshot`); a snapshot exact at its seq, older than
 * the room's first packets, is what every load is, and catch-up covers the gap. Once the code is in, no-op.
 */
export function askEarlySnapshot(trpc: TRPCClient<AppRouter>, stream: string): void {
  if (create) return;
  let asked = early.get(trpc);
  if (!asked) {
    asked = new Map();
    early.set(trpc, asked);
  }
  if (asked.has(stream)) return;
  const answer = trpc.sync.snapshot.query({ spaceId: stream });
  // A failure is the connection's to handle when it takes the answer; until then it is not unhandled.
  answer.catch(() => {});
  asked.set(stream, { askedAt: Date.now(), answer });
}

/** The early snapshot of `stream`, once, if it is recent enough; else undefined. */
export function takeEarlySnapshot(trpc: TRPCClient<AppRouter>, stream: string): Snapshot | undefined {
  const asked = early.get(trpc);
  const found = asked?.get(stream);
  asked?.delete(stream);
  return found && Date.now() - found.askedAt < EARLY_SNAPSHOT_MS ? found.answer : undefined;
}

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
