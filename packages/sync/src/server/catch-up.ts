import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { BeingView, IntentionView } from '../entities.ts';
import type { SyncEvent } from '../event.ts';
import type { CatchUp, SpaceSnapshot } from '../snapshot.ts';
import type { SyncDatabase } from './database.ts';
import { readEvents } from './outbox.ts';
import { spaceStreams } from './schema.ts';

export type SyncTransaction = Parameters<Parameters<SyncDatabase['transaction']>[0]>[0];

export interface CatchUpOptions {
  db: SyncDatabase;
  /** The app's projection of a space: its beings and recent intentions, read inside our transaction. */
  loadSpace: (
    tx: SyncTransaction,
    space: string,
  ) => Promise<{ beings: BeingView[]; intentions: IntentionView[] }>;
  /** A longer gap is answered with a snapshot: cheaper than replaying it (default 1,000 events). */
  maxEvents?: number;
}

export interface CatchUpService {
  snapshot(space: string): Promise<SpaceSnapshot>;
  since(request: { space: string; epoch: string; afterSeq: number }): Promise<CatchUp<SyncEvent>>;
}

/**
 * Initial load and catch-up, both read in one REPEATABLE READ transaction so that the stream position
 * and the rows belong to the same instant: a snapshot is exact at its `seq`, and `since` returns the whole
 * gap or, when any part of it is no longer kept, a snapshot marked reset. Callers check permissions first.
 */
export function createCatchUp(options: CatchUpOptions): CatchUpService {
  const maxEvents = options.maxEvents ?? 1_000;
  const readOnly = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

  async function snapshotIn(tx: SyncTransaction, space: string): Promise<SpaceSnapshot | null> {
    const [stream] = await tx.select().from(spaceStreams).where(eq(spaceStreams.spaceId, space));
    if (!stream) return null;
    const { beings, intentions } = await options.loadSpace(tx, space);
    return { space, epoch: stream.epoch, seq: stream.lastSeq, beings, intentions };
  }

  async function snapshot(space: string): Promise<SpaceSnapshot> {
    const found = await options.db.transaction((tx) => snapshotIn(tx, space), readOnly);
    if (found) return found;
    // A space nobody wrote to since the outbox existed: give it a stream so the client has an epoch that
    // its first event will match (the insert is a no-op if a writer created it meanwhile).
    await options.db
      .insert(spaceStreams)
      .values({ spaceId: space, epoch: randomUUID(), lastSeq: 0 })
      .onConflictDoNothing();
    const created = await options.db.transaction((tx) => snapshotIn(tx, space), readOnly);
    if (!created) throw new Error(`the sync stream of ${space} could not be created`);
    return created;
  }

  async function since(request: {
    space: string;
    epoch: string;
    afterSeq: number;
  }): Promise<CatchUp<SyncEvent>> {
    const { space, epoch, afterSeq } = request;
    const answer = await options.db.transaction(async (tx): Promise<CatchUp<SyncEvent> | null> => {
      const [stream] = await tx.select().from(spaceStreams).where(eq(spaceStreams.spaceId, space));
      if (!stream) return null;
      const reset = async (): Promise<CatchUp<SyncEvent>> => {
        const snap = await snapshotIn(tx, space);
        if (!snap) throw new Error(`the sync stream of ${space} vanished inside a transaction`);
        return { kind: 'reset', snapshot: snap };
      };
      const gap = stream.lastSeq - afterSeq;
      if (stream.epoch !== epoch || gap < 0 || gap > maxEvents) return reset();
      const events = gap === 0 ? [] : await readEvents(tx, space, epoch, afterSeq, gap);
      // Seqs are unique and in range, so the right count means the whole gap; anything less was pruned.
      if (events.length !== gap) return reset();
      return { kind: 'events', space, epoch, afterSeq, events };
    }, readOnly);
    return answer ?? { kind: 'reset', snapshot: await snapshot(space) };
  }

  return { snapshot, since };
}
