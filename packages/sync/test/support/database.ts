import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import type { SyncDatabase } from '../../src/server/database.ts';

/**
 * The sync tables as the app's migrations create them (apps/web/drizzle), on in-memory PGlite: real
 * PostgreSQL semantics, one fresh database per test.
 */
export const SYNC_DDL = `
CREATE TABLE space_streams (space_id text PRIMARY KEY NOT NULL, epoch text NOT NULL, last_seq bigint NOT NULL);
CREATE TABLE sync_events (
  space_id text NOT NULL, seq bigint NOT NULL, epoch text NOT NULL, type text NOT NULL, entity jsonb NOT NULL,
  at timestamp with time zone DEFAULT now() NOT NULL, PRIMARY KEY (space_id, seq));
CREATE INDEX sync_events_at_idx ON sync_events USING btree (at);
CREATE TABLE sync_cursors (
  space_id text PRIMARY KEY NOT NULL, epoch text NOT NULL, sent_seq bigint DEFAULT 0 NOT NULL,
  lease_owner text, lease_until timestamp with time zone, sent_at timestamp with time zone);
CREATE TABLE sync_presence (
  space_id text NOT NULL, identity text NOT NULL, being_id text NOT NULL,
  joined_at timestamp with time zone NOT NULL, PRIMARY KEY (space_id, identity));
CREATE INDEX sync_presence_being_idx ON sync_presence USING btree (being_id);
`;

export interface TestDatabase {
  db: SyncDatabase;
  pg: PGlite;
  /** Empty every sync table (PGlite takes seconds to start, so a file shares one). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const pg = await PGlite.create();
  await pg.exec(SYNC_DDL);
  const db = drizzle({ client: pg }) as unknown as SyncDatabase;
  const reset = async () => {
    await pg.exec('TRUNCATE space_streams, sync_events, sync_cursors, sync_presence');
  };
  return { db, pg, reset, close: () => pg.close() };
}
