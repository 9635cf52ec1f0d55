import { bigint, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Tables the sync server reads and writes, defined here once. `space_streams` and `sync_events` are the
 * outbox the app's domain writes in each write's transaction; `sync_cursors` and `sync_presence` are
 * this package's bookkeeping. The app's schema re-exports all four, so drizzle-kit migrates them with
 * the app's tables.
 */
export const spaceStreams = pgTable('space_streams', {
  spaceId: text('space_id').primaryKey(),
  epoch: text('epoch').notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  /**
   * The space's current sealing key (AES-256-GCM, base64) and its id. Replaced in the transaction of every
   * write that narrows who may see the space, so later packets are unreadable to whoever lost sight of it.
   * Null only on streams created before sealing existed; the first reader or sender gives them one.
   */
  keyId: text('key_id'),
  key: text('key'),
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

/**
 * Broadcast high-water mark per space, shared by every app process: `sent_seq` is the last seq handed to
 * LiveKit. A process sends a space's backlog only while it holds the lease (`lease_owner` until
 * `lease_until`), so two processes never send the same events, and an unsent tail is found by comparing
 * `sent_seq` with `space_streams.last_seq`.
 */
export const syncCursors = pgTable('sync_cursors', {
  spaceId: text('space_id').primaryKey(),
  epoch: text('epoch').notNull(),
  sentSeq: bigint('sent_seq', { mode: 'number' }).notNull().default(0),
  leaseOwner: text('lease_owner'),
  leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
});

/** Who is connected to which space, as LiveKit's webhooks report it; one row per connection. */
export const syncPresence = pgTable(
  'sync_presence',
  {
    spaceId: text('space_id').notNull(),
    identity: text('identity').notNull(),
    beingId: text('being_id').notNull(),
    joinedAt: timestamp('joined_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.identity] }), index('sync_presence_being_idx').on(t.beingId)],
);

/**
 * The deployment's packet signing keys (Ed25519), shared by every app process. The newest key not retired
 * signs; every key not retired is published (public half only) so clients verify packets of any process,
 * including one that has not yet picked up a rotation. `retire_at` in the past means retired.
 */
export const syncSigningKeys = pgTable('sync_signing_keys', {
  id: text('id').primaryKey(),
  /** PKCS#8 DER, base64. Never leaves the server. */
  privateKey: text('private_key').notNull(),
  /** Raw 32-byte public key, base64: what clients get. */
  publicKey: text('public_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  retireAt: timestamp('retire_at', { withTimezone: true, mode: 'date' }),
});
