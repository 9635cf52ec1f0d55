import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { desc, eq, sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { IntentionView } from '../../src/entities.ts';
import type { SyncDatabase } from '../../src/server/database.ts';
import { syncEvents } from '../../src/server/schema.ts';

/**
 * The sync tables as the app's migrations create them (apps/web/drizzle/0000 and 0001), on in-memory
 * PGlite, or on a throwaway database of the real PostgreSQL server.
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
  /** Raw SQL with $1 parameters, for setting up situations the API never creates (aged rows). */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Empty every sync table (PGlite takes seconds to start, so a file shares one database). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** PGlite always; real PostgreSQL too when DATABASE_URL is set (CI sets it). */
export const databaseKinds: ('pglite' | 'postgres')[] = process.env.DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

const TRUNCATE = 'TRUNCATE space_streams, sync_events, sync_cursors, sync_presence';

export async function createTestDatabase(kind: 'pglite' | 'postgres' = 'pglite'): Promise<TestDatabase> {
  if (kind === 'postgres') return createPostgresDatabase();
  const pg = await PGlite.create();
  await pg.exec(SYNC_DDL);
  const db = drizzlePglite({ client: pg }) as unknown as SyncDatabase;
  return {
    db,
    query: async <T>(text: string, params?: unknown[]) => (await pg.query<T>(text, params)).rows,
    reset: async () => {
      await pg.exec(TRUNCATE);
    },
    close: () => pg.close(),
  };
}

/** A throwaway database on the server DATABASE_URL points at, dropped on close. */
async function createPostgresDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('DATABASE_URL is not set');
  const name = `rhizom_sync_${randomBytes(5).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const client = postgres(url.toString(), { max: 10, onnotice: () => {} });
  await client.unsafe(SYNC_DDL);
  const db = drizzlePostgres({ client }) as unknown as SyncDatabase;
  return {
    db,
    query: async <T>(text: string, params: unknown[] = []) =>
      (await client.unsafe(text, params as never[])) as unknown as T[],
    reset: async () => {
      await client.unsafe(TRUNCATE);
    },
    close: async () => {
      await client.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * A stand-in for an app's projection in these tests: a space's intentions are the latest upsert of each
 * id in its outbox, which is exactly what its events say.
 */
export async function outboxProjection(tx: SyncDatabase, space: string) {
  const idOf = sql`${syncEvents.entity}->>'id'`;
  const rows = await tx
    .selectDistinctOn([idOf], { type: syncEvents.type, entity: syncEvents.entity })
    .from(syncEvents)
    .where(eq(syncEvents.spaceId, space))
    .orderBy(idOf, desc(syncEvents.seq));
  const intentions = rows
    .filter((row) => row.type === 'intention.upsert')
    .map((row) => row.entity as unknown as IntentionView);
  return { beings: [], intentions };
}
