import { beingTypes, visibilities } from '@rhizom/sync';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** Every participant and container is a being: people (guests), spaces, bots and documents. */
export const beings = pgTable(
  'beings',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    type: text('type', { enum: beingTypes }).notNull(),
    // Ownership and location point at other beings; deleting the target keeps this being (set null).
    ownerId: text('owner_id').references((): AnyPgColumn => beings.id, { onDelete: 'set null' }),
    locationId: text('location_id').references((): AnyPgColumn => beings.id, { onDelete: 'set null' }),
    content: text('content').notNull().default(''),
    properties: jsonb('properties').$type<Record<string, unknown>>().notNull().default({}),
    // Only spaces have a visibility; the check keeps every other type at null.
    visibility: text('visibility', { enum: visibilities }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    modifiedAt: timestamp('modified_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('beings_location_idx').on(t.locationId),
    index('beings_owner_idx').on(t.ownerId),
    check('beings_visibility_only_spaces', sql`(${t.type} = 'space') = (${t.visibility} is not null)`),
  ],
);

/** Members of a space: who may see a private space besides its owner. */
export const spaceMembers = pgTable(
  'space_members',
  {
    spaceId: text('space_id')
      .notNull()
      .references(() => beings.id, { onDelete: 'cascade' }),
    beingId: text('being_id')
      .notNull()
      .references(() => beings.id, { onDelete: 'cascade' }),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.beingId] }), index('space_members_being_idx').on(t.beingId)],
);

/** Provider API keys of bots: write-only, kept apart so that no query on beings can ever return one. */
export const botSecrets = pgTable('bot_secrets', {
  beingId: text('being_id')
    .primaryKey()
    .references(() => beings.id, { onDelete: 'cascade' }),
  apiKey: text('api_key').notNull(),
  modifiedAt: timestamp('modified_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export type BeingRow = typeof beings.$inferSelect;
export type SpaceMemberRow = typeof spaceMembers.$inferSelect;
