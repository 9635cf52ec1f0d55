import { integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { beings } from './beings.ts';

/**
 * How many messages were ever posted in a space: one row per space, bumped with each post. Unread counts
 * are this minus a reader's `space_reads.read_count`, so a post costs one write here, not one per reader.
 */
export const spaceActivity = pgTable('space_activity', {
  spaceId: text('space_id')
    .primaryKey()
    .references(() => beings.id, { onDelete: 'cascade' }),
  messages: integer('messages').notNull().default(0),
});

/** How far a being has read a space: the space's message count when it last looked. */
export const spaceReads = pgTable(
  'space_reads',
  {
    beingId: text('being_id')
      .notNull()
      .references(() => beings.id, { onDelete: 'cascade' }),
    spaceId: text('space_id')
      .notNull()
      .references(() => beings.id, { onDelete: 'cascade' }),
    readCount: integer('read_count').notNull().default(0),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.beingId, t.spaceId] })],
);
