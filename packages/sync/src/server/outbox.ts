import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import { withContentRef } from '../content-ref.ts';
import type { SyncEvent } from '../event.ts';
import { jsonBytes } from './answer-budget.ts';
import type { SyncDatabase } from './database.ts';
import { spaceStreams, syncCursors, syncEvents } from './schema.ts';
import { newSpaceKey } from './space-keys.ts';

/** A space this process may broadcast now: it holds the lease on its cursor. */
export interface Claim {
  space: string;
  epoch: string;
  sentSeq: number;
  lastSeq: number;
  /** The space's current sealing key, read with the claim (null on a stream from before sealing). */
  keyId: string | null;
  key: string | null;
}

const leaseFree = (owner: string) =>
  or(
    isNull(syncCursors.leaseOwner),
    lt(syncCursors.leaseUntil, sql`now()`),
    eq(syncCursors.leaseOwner, owner),
  );

/**
 * Take the broadcast lease of one space, or null if another process holds it (that process re-checks
 * the stream when it releases, so nothing is left behind). A new epoch restarts the cursor at 0.
 * One statement in the common case; the cursor row is created on a space's first broadcast. With
 * `readLimit`, the same statement also reads up to that many events after the cursor (`events`): a
 * data-modifying CTE, so a process that does not hold the events (another process wrote them, or the
 * sweep) still pays one round trip for lease and read together.
 */
export async function claimSpace(
  db: SyncDatabase,
  space: string,
  owner: string,
  leaseMs: number,
  readLimit = 0,
): Promise<(Claim & { events?: SyncEvent[] }) | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const claim =
      readLimit > 0
        ? await claimAndRead(db, space, owner, leaseMs, readLimit)
        : await leaseUpdate(db, space, owner, leaseMs).then(([row]) => (row ? { space, ...row } : null));
    if (claim) return claim;
    if (attempt > 0) return null;
    // No row: either the cursor does not exist yet, or it is leased to someone else.
    const created = await db
      .insert(syncCursors)
      .select(
        db
          .select({
            spaceId: spaceStreams.spaceId,
            epoch: spaceStreams.epoch,
            sentSeq: sql<number>`0`.as('sent_seq'),
            leaseOwner: sql<string | null>`null`.as('lease_owner'),
            leaseUntil: sql<Date | null>`null`.as('lease_until'),
            sentAt: sql<Date | null>`null`.as('sent_at'),
          })
          .from(spaceStreams)
          .where(eq(spaceStreams.spaceId, space)),
      )
      .onConflictDoNothing()
      .returning({ spaceId: syncCursors.spaceId });
    if (created.length === 0) return null;
  }
  return null;
}

/** The lease UPDATE: free, expired or already ours; returns the cursor with the stream's end and key. */
function leaseUpdate(db: SyncDatabase, space: string, owner: string, leaseMs: number) {
  return db
    .update(syncCursors)
    .set({
      leaseOwner: owner,
      leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'`,
      epoch: sql`${spaceStreams.epoch}`,
      sentSeq: sql`case when ${syncCursors.epoch} = ${spaceStreams.epoch} then ${syncCursors.sentSeq} else 0 end`,
    })
    .from(spaceStreams)
    .where(
      and(eq(syncCursors.spaceId, space), eq(spaceStreams.spaceId, syncCursors.spaceId), leaseFree(owner)),
    )
    .returning({
      epoch: syncCursors.epoch,
      sentSeq: syncCursors.sentSeq,
      lastSeq: spaceStreams.lastSeq,
      keyId: spaceStreams.keyId,
      key: spaceStreams.key,
    });
}

/** The lease UPDATE and the read of the events after the cursor, in one statement; null without the lease. */
async function claimAndRead(
  db: SyncDatabase,
  space: string,
  owner: string,
  leaseMs: number,
  limit: number,
): Promise<(Claim & { events: SyncEvent[] }) | null> {
  const claimed = db.$with('claimed').as(leaseUpdate(db, space, owner, leaseMs));
  const rows = await db
    .with(claimed)
    .select({
      epoch: claimed.epoch,
      sentSeq: claimed.sentSeq,
      lastSeq: claimed.lastSeq,
      keyId: claimed.keyId,
      key: claimed.key,
      event: syncEvents,
    })
    .from(claimed)
    .leftJoin(
      syncEvents,
      and(
        eq(syncEvents.spaceId, space),
        eq(syncEvents.epoch, claimed.epoch),
        gt(syncEvents.seq, claimed.sentSeq),
      ),
    )
    .orderBy(asc(syncEvents.seq))
    .limit(limit);
  const [first] = rows;
  if (!first) return null;
  const { event: _, ...cursor } = first;
  const events = rows.flatMap((row) => (row.event ? [eventFromRow(row.event)] : []));
  return { space, ...cursor, events };
}

/**
 * Extend a lease this process holds by `leaseMs` from now; false if it no longer holds it. A holder
 * renews while it sends, so a lease can be short and a crashed holder's spaces are free soon after.
 */
export async function renewLease(
  db: SyncDatabase,
  space: string,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db
    .update(syncCursors)
    .set({ leaseUntil: sql`now() + ${leaseMs} * interval '1 millisecond'` })
    .where(and(eq(syncCursors.spaceId, space), eq(syncCursors.leaseOwner, owner)))
    .returning({ spaceId: syncCursors.spaceId });
  return rows.length > 0;
}

/**
 * Record that everything up to `sentSeq` was handed to LiveKit and give the lease back. Returns the
 * stream's current end, read in the same statement, so the caller sees writes committed while it held
 * the lease; null if the lease was lost (it expired and another process took over).
 */
export async function advanceCursor(
  db: SyncDatabase,
  claim: Claim,
  owner: string,
  sentSeq: number,
): Promise<{ epoch: string; lastSeq: number } | null> {
  const [row] = await db
    .update(syncCursors)
    .set({
      sentSeq: sql`greatest(${syncCursors.sentSeq}, ${sentSeq})`,
      sentAt: sql`now()`,
      leaseOwner: null,
      leaseUntil: null,
    })
    .from(spaceStreams)
    .where(
      and(
        eq(syncCursors.spaceId, claim.space),
        eq(spaceStreams.spaceId, syncCursors.spaceId),
        eq(syncCursors.leaseOwner, owner),
        eq(syncCursors.epoch, claim.epoch),
      ),
    )
    .returning({ epoch: spaceStreams.epoch, lastSeq: spaceStreams.lastSeq });
  return row ?? null;
}

/** Events of one space and epoch after `afterSeq`, in seq order. */
export async function readEvents(
  db: SyncDatabase,
  space: string,
  epoch: string,
  afterSeq: number,
  limit: number,
): Promise<SyncEvent[]> {
  const rows = await db
    .select()
    .from(syncEvents)
    .where(and(eq(syncEvents.spaceId, space), eq(syncEvents.epoch, epoch), gt(syncEvents.seq, afterSeq)))
    .orderBy(asc(syncEvents.seq))
    .limit(limit);
  return rows.map(eventFromRow);
}

/**
 * Events of one space and epoch after `afterSeq`, in seq order, as many as fit in `maxBytes` as JSON (at
 * least one). Read a few at a time, so what a page costs the database stops near the budget however long
 * the gap. `total` is how many events follow `afterSeq` at all (from the primary key alone): fewer than the
 * stream's end implies means some were pruned.
 */
export async function readEventsWithin(
  db: SyncDatabase,
  space: string,
  epoch: string,
  afterSeq: number,
  maxBytes: number,
): Promise<{ events: SyncEvent[]; total: number }> {
  const [count] = await db
    .select({ total: sql<number>`count(*)::int` })
    .from(syncEvents)
    .where(and(eq(syncEvents.spaceId, space), eq(syncEvents.epoch, epoch), gt(syncEvents.seq, afterSeq)));
  const total = count?.total ?? 0;
  const events: SyncEvent[] = [];
  let bytes = 0;
  for (let from = afterSeq; events.length < total; ) {
    const chunk = await readEvents(db, space, epoch, from, READ_CHUNK_EVENTS);
    for (const event of chunk) {
      const size = jsonBytes(event);
      if (events.length > 0 && bytes + size > maxBytes) return { events, total };
      events.push(event);
      bytes += size;
    }
    if (chunk.length < READ_CHUNK_EVENTS) break;
    from = chunk[chunk.length - 1]?.seq ?? from;
  }
  return { events, total };
}

/** Events read per round trip while filling a page: a page costs at most this many events past it. */
const READ_CHUNK_EVENTS = 8;

/** Spaces with events not yet handed to LiveKit and no live lease: what the periodic sweep flushes. */
export async function unsentSpaces(db: SyncDatabase, limit: number): Promise<string[]> {
  const rows = await db
    .select({ space: spaceStreams.spaceId })
    .from(spaceStreams)
    .leftJoin(syncCursors, eq(syncCursors.spaceId, spaceStreams.spaceId))
    .where(
      and(
        gt(spaceStreams.lastSeq, 0),
        or(
          isNull(syncCursors.spaceId),
          sql`${syncCursors.epoch} <> ${spaceStreams.epoch}`,
          lt(syncCursors.sentSeq, spaceStreams.lastSeq),
        ),
        or(isNull(syncCursors.leaseUntil), lt(syncCursors.leaseUntil, sql`now()`)),
      ),
    )
    .limit(limit);
  return rows.map((row) => row.space);
}

export function eventFromRow(row: typeof syncEvents.$inferSelect): SyncEvent {
  return {
    space: row.spaceId,
    epoch: row.epoch,
    seq: row.seq,
    type: row.type,
    entity: row.entity,
    at: row.at.toISOString(),
  } as SyncEvent;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event before the outbox gives it its place in its space's stream. */
export type PendingSyncEvent = DistributiveOmit<SyncEvent, 'epoch' | 'seq' | 'at'>;

/** An event's entity as the outbox keeps and sends it: a large being content goes as a ref. */
function carried(event: PendingSyncEvent): PendingSyncEvent['entity'] {
  return event.type === 'being.upsert' ? withContentRef(event.entity) : event.entity;
}

/**
 * The outbox writer; call it inside the write's transaction. Per space, one statement (a data-modifying
 * CTE): an upsert bumps `space_streams.last_seq` by the number of events, and the events are inserted at
 * the seqs it returns. Its row lock holds other writers of that space until this transaction ends, so seqs
 * are contiguous and become visible in order. A space's first event creates
 * its stream with a fresh epoch and key. Spaces in `rotateKeys` get a new sealing key in the same statement
 * (or one UPDATE when they have no event here): the write narrowed who may see them, so packets after it
 * must be unreadable to whoever held the old key. A being whose content is over `INLINE_CONTENT_MAX_BYTES`
 * is stored and sent with a ref instead (`content-ref.ts`), so one edit of a large document costs every
 * client of the space a few hundred bytes. Spaces are locked in sorted order so two writers cannot
 * deadlock.
 */
export async function appendSyncEvents(
  tx: SyncDatabase,
  events: readonly PendingSyncEvent[],
  at: Date = new Date(),
  options: { rotateKeys?: readonly string[] } = {},
): Promise<SyncEvent[]> {
  const bySpace = new Map<string, PendingSyncEvent[]>();
  for (const event of events) bySpace.set(event.space, [...(bySpace.get(event.space) ?? []), event]);
  const rotate = new Set(options.rotateKeys ?? []);
  const appended: SyncEvent[] = [];
  for (const space of [...new Set([...bySpace.keys(), ...rotate])].sort()) {
    const list = bySpace.get(space) ?? [];
    const key = newSpaceKey();
    if (list.length === 0) {
      await tx.update(spaceStreams).set(key).where(eq(spaceStreams.spaceId, space));
      continue;
    }
    // The stream upsert hands its epoch and new end to the events' insert: one statement per stream, not two.
    const stream = tx.$with('stream').as(
      tx
        .insert(spaceStreams)
        .values({ spaceId: space, epoch: randomUUID(), lastSeq: list.length, ...key })
        .onConflictDoUpdate({
          target: spaceStreams.spaceId,
          set: {
            lastSeq: sql`${spaceStreams.lastSeq} + excluded.last_seq`,
            ...(rotate.has(space) ? { keyId: sql`excluded.key_id`, key: sql`excluded.key` } : {}),
          },
        })
        .returning({ epoch: spaceStreams.epoch, lastSeq: spaceStreams.lastSeq }),
    );
    const entities = list.map((event) => carried(event) as Record<string, unknown>);
    const pending = JSON.stringify(
      list.map((event, index) => ({ type: event.type, entity: entities[index] })),
    );
    const inserted = await tx
      .with(stream)
      .insert(syncEvents)
      .select(
        tx
          .select({
            spaceId: sql<string>`${space}::text`.as('space_id'),
            seq: sql<number>`${stream.lastSeq} - ${list.length}::bigint + pending.ord`.as('seq'),
            epoch: sql<string>`${stream.epoch}`.as('epoch'),
            type: sql<string>`pending.event->>'type'`.as('type'),
            entity: sql<Record<string, unknown>>`pending.event->'entity'`.as('entity'),
            at: sql<Date>`${at.toISOString()}::timestamptz`.as('at'),
          })
          .from(stream)
          .crossJoin(sql`jsonb_array_elements(${pending}::jsonb) with ordinality as pending(event, ord)`),
      )
      .returning({ seq: syncEvents.seq, epoch: syncEvents.epoch });
    const first = inserted.reduce<(typeof inserted)[number] | undefined>(
      (lowest, row) => (lowest && lowest.seq < row.seq ? lowest : row),
      undefined,
    );
    if (!first) throw new Error(`the sync stream of ${space} returned no row`);
    const rows = list.map((event, index) => ({
      spaceId: space,
      seq: first.seq + index,
      epoch: first.epoch,
      type: event.type,
      entity: entities[index] as Record<string, unknown>,
      at,
    }));
    for (const row of rows) appended.push(eventFromRow(row));
  }
  return appended;
}
