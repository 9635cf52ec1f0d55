// The sync package's own bookkeeping (broadcast cursors, presence), migrated with the app's tables.
export { syncCursors, syncPresence } from '@rhizom/sync/schema';
export * from './auth.ts';
export * from './beings.ts';
export * from './intentions.ts';
export * from './sync.ts';
