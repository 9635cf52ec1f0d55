import type { SpaceActivity } from '@rhizom/sync';
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Queryable, Transaction } from '../db/database.ts';
import { beings, spaceActivity, spaceMembers, spaceReads } from '../db/schema/index.ts';
import type { PendingSyncEvent } from './outbox.ts';
import { personalStream } from './streams.ts';
import type { WriteScope } from './write.ts';

/**
 * Unread counts. Each space counts the messages ever posted in it (`space_activity`, one row); each being
 * keeps how many it had read (`space_reads`). Unread = messages − read, computed by the client from the
 * `activity.upsert` events of its personal stream. A post writes the counter and the author's own read
 * position (it has read what it wrote) — never one row per reader — and tells each other member and the
 * owner the new count through their personal streams. Those events carry whole values, not increments,
 * so a lost or repeated one is corrected by the next.
 */

/** Messages posted so far in a space (0 before the first). */
async function messageCount(q: Queryable, spaceId: string): Promise<number> {
  const [row] = await q
    .select({ messages: spaceActivity.messages })
    .from(spaceActivity)
    .where(eq(spaceActivity.spaceId, spaceId));
  return row?.messages ?? 0;
}

/** A read position only moves forward (a late, smaller count never lowers it). */
const readUpsert = {
  target: [spaceReads.beingId, spaceReads.spaceId],
  set: {
    readCount: sql`greatest(${spaceReads.readCount}, excluded.read_count)`,
    readAt: sql`excluded.read_at`,
  },
};

async function setRead(tx: Transaction, beingId: string, spaceId: string, readCount: number): Promise<void> {
  await tx
    .insert(spaceReads)
    .values({ beingId, spaceId, readCount, readAt: new Date() })
    .onConflictDoUpdate(readUpsert);
}

function activityEvent(beingId: string, entity: SpaceActivity): PendingSyncEvent {
  return { space: personalStream(beingId), type: 'activity.upsert', entity };
}

/**
 * A message was posted in a space (inside the post's write). One statement: the counter's upsert hands the
 * new count to the author's read position and to the read positions of the owner and members, which the
 * statement returns (it reads them as they were before it, the author's own excluded).
 */
export async function countMessage(scope: WriteScope, spaceId: string, authorId: string): Promise<void> {
  const { tx } = scope;
  const counted = tx.$with('counted').as(
    tx
      .insert(spaceActivity)
      .values({ spaceId, messages: 1 })
      .onConflictDoUpdate({
        target: spaceActivity.spaceId,
        set: { messages: sql`${spaceActivity.messages} + 1` },
      })
      .returning({ messages: spaceActivity.messages }),
  );
  const authorRead = tx.$with('author_read').as(
    tx
      .insert(spaceReads)
      .select(
        tx
          .select({
            beingId: sql<string>`${authorId}::text`.as('being_id'),
            spaceId: sql<string>`${spaceId}::text`.as('space_id'),
            readCount: sql<number>`${counted.messages}`.as('read_count'),
            readAt: sql<Date>`${new Date().toISOString()}::timestamptz`.as('read_at'),
          })
          .from(counted),
      )
      .onConflictDoUpdate(readUpsert)
      .returning({ beingId: spaceReads.beingId }),
  );
  // The owner and members follow the space in their lists; the author has just read it.
  const readers = tx
    .select({ beingId: beings.ownerId, read: spaceReads.readCount })
    .from(beings)
    .leftJoin(spaceReads, and(eq(spaceReads.beingId, beings.ownerId), eq(spaceReads.spaceId, spaceId)))
    .where(and(eq(beings.id, spaceId), ne(beings.ownerId, authorId)))
    .unionAll(
      tx
        .select({ beingId: spaceMembers.beingId, read: spaceReads.readCount })
        .from(spaceMembers)
        .leftJoin(
          spaceReads,
          and(eq(spaceReads.beingId, spaceMembers.beingId), eq(spaceReads.spaceId, spaceId)),
        )
        .where(and(eq(spaceMembers.spaceId, spaceId), ne(spaceMembers.beingId, authorId))),
    )
    .as('readers');
  // Left joined, so the count comes back even when nobody else follows the space.
  const rows = await tx
    .with(counted, authorRead)
    .select({ messages: counted.messages, beingId: readers.beingId, read: readers.read })
    .from(counted)
    .leftJoin(readers, sql`true`);
  const messages = rows[0]?.messages;
  if (messages === undefined) throw new Error(`the message count of ${spaceId} returned no row`);
  const byBeing = new Map<string, number>();
  for (const row of rows) if (row.beingId) byBeing.set(row.beingId, row.read ?? 0);
  scope.emit(
    ...[...byBeing].map(([beingId, read]) =>
      activityEvent(beingId, { id: spaceId, messages, read: Math.min(read, messages) }),
    ),
  );
}

/** A being starts following a space (created it, joined, was added): nothing before now is unread. */
export async function startReading(tx: Transaction, beingId: string, spaceId: string): Promise<void> {
  await setRead(tx, beingId, spaceId, await messageCount(tx, spaceId));
}

/** The being has seen everything in the space: its read position moves to the end, in all its tabs. */
export async function markRead(scope: WriteScope, beingId: string, spaceId: string): Promise<SpaceActivity> {
  const messages = await messageCount(scope.tx, spaceId);
  await setRead(scope.tx, beingId, spaceId, messages);
  const entity = { id: spaceId, messages, read: messages };
  scope.emit(activityEvent(beingId, entity));
  return entity;
}

/** Read positions of one being in some spaces, for its personal stream's snapshot. */
export async function activityOf(
  q: Queryable,
  beingId: string,
  spaceIds: string[],
): Promise<SpaceActivity[]> {
  if (spaceIds.length === 0) return [];
  const rows = await q
    .select({ id: beings.id, messages: spaceActivity.messages, read: spaceReads.readCount })
    .from(beings)
    .leftJoin(spaceActivity, eq(spaceActivity.spaceId, beings.id))
    .leftJoin(spaceReads, and(eq(spaceReads.spaceId, beings.id), eq(spaceReads.beingId, beingId)))
    .where(inArray(beings.id, spaceIds));
  return rows.map((row) => {
    const messages = row.messages ?? 0;
    return { id: row.id, messages, read: Math.min(row.read ?? 0, messages) };
  });
}
