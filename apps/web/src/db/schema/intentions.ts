import { intentionStates, intentionTypes } from '@rhizom/sync';
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { beings } from './beings.ts';

/** What beings post in spaces. Only utterances exist today; bots stream into `active` ones. */
export const intentions = pgTable(
  'intentions',
  {
    id: text('id').primaryKey(),
    type: text('type', { enum: intentionTypes }).notNull(),
    state: text('state', { enum: intentionStates }).notNull(),
    // No foreign key on the owner: an utterance outlives a deleted author.
    ownerId: text('owner_id').notNull(),
    locationId: text('location_id')
      .notNull()
      .references(() => beings.id, { onDelete: 'cascade' }),
    content: text('content').notNull().default(''),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    modifiedAt: timestamp('modified_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('intentions_location_created_idx').on(t.locationId, t.createdAt, t.id)],
);

export type IntentionRow = typeof intentions.$inferSelect;
