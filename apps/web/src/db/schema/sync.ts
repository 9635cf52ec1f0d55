import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The sync outbox. `space_streams` holds each space's position; its row lock serialises writers of one
 * space, so `seq` is contiguous and commits in order. No foreign keys: a deleted space's stream stays,
 * so clients still receive its removal.
 */
export const spaceStreams = pgTable('space_streams', {
  spaceId: text('space_id').primaryKey(),
  epoch: text('epoch').notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
});

export const syncEvents = pgTable(
  'sync_events',
  {
    spaceId: text('space_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    epoch: text('epoch').notNull(),
    type: text('type').notNull(),
    entity: jsonb('entity').$type<Record<string, unknown>>().notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.seq] }), index('sync_events_at_idx').on(t.at)],
);

export type SyncEventRow = typeof syncEvents.$inferSelect;
