'use client';

import type { Keyed, SpaceSnapshot } from '@rhizom/sync';
import type { SyncClient } from '@rhizom/sync/client';
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '../server/routers/index';
import type { createSyncClient } from './create-sync-client';

let create: typeof createSyncClient | undefined;
let loading: Promise<void> | undefined;
const clients = new WeakMap<object, SyncClient>();

type Snapshot = Promise<Keyed<SpaceSnapshot>>;
/** Snapshots asked for while the sync client's code loads, by tRPC client, then by stream. */
const early = new WeakMap<object, Map<string, { askedAt: number; answer: Snapshot }>>();
/** An early snapshot older than this is not used: the connection asks again (catch-up would cover it, at more cost). */
const EARLY_SNAPSHOT_MS = 15_000;

/** A space's snapshot as its page was rendered with it (`requireVisibleBeing`): without keys, and when taken. */
export type PageSnapshot = SpaceSnapshot & { takenAt: number };

/**
 * Asks for a stream's snapshot before the sync client's code has loaded, so the request does not wait for
 * livekit-client to arrive and compile (1–2 s at 4× CPU throttling, while the snapshot needs none of it).
 * The connection takes it as its first load (`takeEarlySnapshot`); a snapshot exact at its seq, older than
 * the room's first packets, is what every load is, and catch-up covers the gap. Once the code is in, no-op,
 * unless given `first`: the snapshot the page came with; then only its keys are asked for (a page never
 * carries them), and the snapshot itself only if the page has none or an old one (a page the browser kept).
 */
export function askEarlySnapshot(
  trpc: TRPCClient<AppRouter>,
  stream: string,
  first?: Promise<PageSnapshot | null>,
): void {
  if (create && !first) return;
  let asked = early.get(trpc);
  if (!asked) {
    asked = new Map();
    early.set(trpc, asked);
  }
  if (asked.has(stream)) return;
  const answer = first ? withKeys(trpc, stream, first) : trpc.sync.snapshot.query({ spaceId: stream });
  // A failure is the connection's to handle when it takes the answer; until then it is not unhandled.
  answer.catch(() => {});
  asked.set(stream, { askedAt: Date.now(), answer });
}

/** The page's snapshot with the keys asked for beside it, or a fresh snapshot when the page's will not do. */
function withKeys(
  trpc: TRPCClient<AppRouter>,
  stream: string,
  first: Promise<PageSnapshot | null>,
): Snapshot {
  const keys = trpc.sync.keys.query({ spaceId: stream });
  keys.catch(() => {});
  // React's promise from the page's stream is a bare thenable (its `then` returns nothing): adopt it first.
  return Promise.resolve(first).then(async (page) => {
    if (!page || Date.now() - page.takenAt > EARLY_SNAPSHOT_MS)
      return trpc.sync.snapshot.query({ spaceId: stream });
    const { takenAt: _takenAt, ...snapshot } = page;
    return { ...snapshot, keys: await keys };
  });
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
