import { and, lt, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { SyncDatabase } from './database.ts';
import { spaceStreams, syncCursors, syncEvents } from './schema.ts';

export interface RetentionOptions {
  /** Keep every event younger than this (default 2 minutes). */
  retentionMs?: number;
  /** And always the newest this many events of each space (default 300). */
  retentionEvents?: number;
}

export interface PrunerOptions extends RetentionOptions {
  db: SyncDatabase;
  logger: Logger;
  intervalMs?: number;
}

export const DEFAULT_RETENTION = { retentionMs: 120_000, retentionEvents: 300 } as const;

/**
 * Deletes outbox events a client can no longer need: older than the retention time AND outside the newest
 * `retentionEvents` of their space AND already broadcast (an unsent event waits for the broadcaster, however
 * old). A client further behind than what is kept gets a snapshot instead. Safe to run in every process.
 */
export async function pruneSyncEvents(db: SyncDatabase, retention: RetentionOptions = {}): Promise<number> {
  const retentionMs = retention.retentionMs ?? DEFAULT_RETENTION.retentionMs;
  const retentionEvents = retention.retentionEvents ?? DEFAULT_RETENTION.retentionEvents;
  const deleted = await db
    .delete(syncEvents)
    .where(
      and(
        lt(syncEvents.at, sql`now() - ${retentionMs} * interval '1 millisecond'`),
        sql`not exists (select 1 from ${spaceStreams} where ${spaceStreams.spaceId} = ${syncEvents.spaceId}
          and ${spaceStreams.epoch} = ${syncEvents.epoch}
          and ${syncEvents.seq} > ${spaceStreams.lastSeq} - ${retentionEvents})`,
        sql`exists (select 1 from ${syncCursors} where ${syncCursors.spaceId} = ${syncEvents.spaceId}
          and (${syncCursors.epoch} <> ${syncEvents.epoch} or ${syncCursors.sentSeq} >= ${syncEvents.seq}))`,
      ),
    )
    .returning({ seq: syncEvents.seq });
  return deleted.length;
}

export function startPruner(options: PrunerOptions): { close(): void } {
  const log = options.logger.child({ component: 'sync-pruner' });
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      const count = await pruneSyncEvents(options.db, options);
      if (count > 0) log.debug({ count }, 'pruned sync events');
    } catch (error) {
      log.error({ err: error }, 'pruning sync events failed; retrying at the next interval');
    } finally {
      busy = false;
    }
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
