import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * Any Drizzle PostgreSQL database (PGlite or postgres-js). The sync server only uses the query builder
 * with its own table objects, so it works with whatever schema the app registered.
 */
// biome-ignore lint/suspicious/noExplicitAny: the app's schema type is not this package's business.
export type SyncDatabase = PgDatabase<PgQueryResultHKT, any>;
