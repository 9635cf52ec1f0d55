import { throwawayDatabase } from '@rhizom/testing/postgres';

/** Which databases the suites run on: PGlite always, real PostgreSQL too when DATABASE_URL is set. */
export const databaseKinds: ('pglite' | 'postgres')[] = process.env.DATABASE_URL
  ? ['pglite', 'postgres']
  : ['pglite'];

export interface TestDatabase {
  /** postgres:// URL of a fresh, empty database, or undefined for in-memory PGlite. */
  url: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * A fresh database per suite: in-memory PGlite, or a new `rhizom_test_<random>` database on the server
 * from DATABASE_URL, dropped afterwards.
 */
export async function freshDatabase(kind: 'pglite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'pglite') return { url: undefined, dataDir: 'memory://', drop: async () => {} };
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error('DATABASE_URL is not set');
  return { ...(await throwawayDatabase(serverUrl)), dataDir: 'memory://' };
}
