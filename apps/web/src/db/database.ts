import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.ts';
import { yieldBeforeStatements } from './pglite-fairness.ts';
import { parseOnceForDrizzle } from './pglite-parsers.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
/** The one database type the domain sees, whichever driver is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Something that runs queries: the database or an open transaction. */
export type Queryable = Database | Transaction;

export interface DatabaseOptions {
  /** postgres:// URL. When set, PostgreSQL is used through postgres-js; otherwise embedded PGlite. */
  url?: string;
  /** PGlite data directory (its files go to `<dataDir>/pglite`); `memory://` keeps everything in memory. */
  dataDir?: string;
  /** Folder with drizzle-kit's SQL migrations; defaults to this app's `drizzle/`. */
  migrationsFolder?: string;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
}

export interface DatabaseHandle {
  db: Database;
  driver: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Any number of app processes may start at once against one PostgreSQL; this lock orders their migrations. */
const MIGRATION_LOCK_KEY = 7_261_843_001;

export async function createDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const migrationsFolder = findMigrationsFolder(options.migrationsFolder);
  const shouldMigrate = options.migrate ?? true;
  if (options.url) {
    // Small pool: the app is one of possibly several processes sharing one server.
    const client = postgres(options.url, { max: 10, onnotice: () => {} });
    const db = drizzlePostgres({ client, schema });
    if (shouldMigrate) {
      const lock = await client.reserve();
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(db, { migrationsFolder });
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      } finally {
        lock.release();
      }
    }
    return { db: db as unknown as Database, driver: 'postgres', close: () => client.end({ timeout: 5 }) };
  }

  const dataDir = options.dataDir ?? '.data';
  const memory = dataDir.startsWith('memory://');
  let unlock = () => {};
  let pgliteDir: string | undefined;
  if (!memory) {
    // The data directory is chosen at run time: the build must not trace (bundle) what it holds.
    const root = resolve(/* turbopackIgnore: true */ dataDir);
    pgliteDir = join(root, 'pglite');
    mkdirSync(pgliteDir, { recursive: true });
    unlock = lockDataDir(root);
  }
  const client = await PGlite.create(pgliteDir).catch((error: unknown) => {
    unlock();
    throw error;
  });
  const close = async () => {
    await client.close();
    unlock();
  };
  const db = drizzlePglite({ client: yieldBeforeStatements(parseOnceForDrizzle(client)), schema });
  if (shouldMigrate) {
    await migratePglite(db, { migrationsFolder }).catch(async (error: unknown) => {
      await close();
      throw error;
    });
  }
  return { db: db as unknown as Database, driver: 'pglite', close };
}

/** Next.js and the tests both run with the app folder as cwd; the repo root is the other place people start from. */
function findMigrationsFolder(explicit: string | undefined): string {
  const candidates = explicit ? [resolve(explicit)] : [resolve('drizzle'), resolve('apps/web/drizzle')];
  const found = candidates.find((dir) => existsSync(join(dir, 'meta', '_journal.json')));
  if (!found) {
    throw new Error(
      `No drizzle migrations found in ${candidates.join(' or ')}; run from apps/web or pass migrationsFolder.`,
    );
  }
  return found;
}
