/**
 * The one writer of the sync outbox lives in @rhizom/sync; domain services call it inside each write's
 * transaction, so a write and its events commit or roll back together.
 */
export {
  appendSyncEvents,
  eventFromRow as syncEventFromRow,
  type PendingSyncEvent,
} from '@rhizom/sync/server';
