import { randomUUID } from 'node:crypto';
import type { SyncEvent } from '@rhizom/sync';
import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/database.ts';
import { type SyncEventRow, spaceStreams, syncEvents } from '../db/schema/index.ts';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the outbox gives it its place in the space's stream. */
export type PendingSyncEvent = DistributiveOmit<SyncEvent, 'epoch' | 'seq' | 'at'>;

/**
 * The one writer of the sync outbox; call it inside the write's transaction. Per space it bumps
 * `space_streams.last_seq` by the number of events in one upsert, whose row lock holds other writers of
 * that space until this transaction ends, so seqs are contiguous and commit in order. A space's first
 * event creates its stream with a fresh epoch.
 */
export async function appendSyncEvents(
  tx: Transaction,
  events: readonly PendingSyncEvent[],
  at: Date = new Date(),
): Promise<SyncEvent[]> {
  const bySpace = new Map<string, PendingSyncEvent[]>();
  for (const event of events) {
    const list = bySpace.get(event.space) ?? [];
    list.push(event);
    bySpace.set(event.space, list);
  }
  const appended: SyncEvent[] = [];
  // Sorted so that two transactions touching the same spaces take their locks in the same order.
  for (const space of [...bySpace.keys()].sort()) {
    const list = bySpace.get(space) ?? [];
    const [stream] = await tx
      .insert(spaceStreams)
      .values({ spaceId: space, epoch: randomUUID(), lastSeq: list.length })
      .onConflictDoUpdate({
        target: spaceStreams.spaceId,
        set: { lastSeq: sql`${spaceStreams.lastSeq} + excluded.last_seq` },
      })
      .returning({ epoch: spaceStreams.epoch, lastSeq: spaceStreams.lastSeq });
    if (!stream) throw new Error(`the sync stream of ${space} returned no row`);
    const first = stream.lastSeq - list.length + 1;
    const rows = list.map((event, index) => ({
      spaceId: space,
      seq: first + index,
      epoch: stream.epoch,
      type: event.type,
      entity: event.entity as Record<string, unknown>,
      at,
    }));
    await tx.insert(syncEvents).values(rows);
    for (const row of rows) appended.push(syncEventFromRow(row));
  }
  return appended;
}

/** The wire form of a stored outbox row. */
export function syncEventFromRow(row: SyncEventRow): SyncEvent {
  return {
    space: row.spaceId,
    epoch: row.epoch,
    seq: row.seq,
    type: row.type,
    entity: row.entity,
    at: row.at.toISOString(),
  } as SyncEvent;
}
