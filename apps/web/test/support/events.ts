import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/database.ts';
import { syncEvents } from '../../src/db/schema/index.ts';
import { syncEventFromRow } from '../../src/domain/outbox.ts';

/** The outbox of one space, in seq order, as the wire form. */
export async function eventsOf(db: Database, spaceId: string) {
  const rows = await db
    .select()
    .from(syncEvents)
    .where(eq(syncEvents.spaceId, spaceId))
    .orderBy(asc(syncEvents.seq));
  return rows.map(syncEventFromRow);
}

/** Every outbox row, for "nothing was written" checks. */
export async function allEventCount(db: Database): Promise<number> {
  return (await db.select().from(syncEvents)).length;
}
