import type { syncEvents } from '@rhizom/sync/schema';

/**
 * The sync outbox (`space_streams` with each space's sealing key, `sync_events`) and the sync package's own
 * bookkeeping (broadcast cursors, presence, packet signing keys) are defined once, in @rhizom/sync, and
 * migrated with the app's tables.
 */
export { spaceStreams, syncCursors, syncEvents, syncPresence, syncSigningKeys } from '@rhizom/sync/schema';

export type SyncEventRow = typeof syncEvents.$inferSelect;
