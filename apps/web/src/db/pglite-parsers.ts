import { type PGlite, type Transaction, types } from '@electric-sql/pglite';

type QueryOptions = Parameters<PGlite['query']>[2];

/**
 * The types drizzle's PGlite driver asks to receive as PostgreSQL's text (it parses dates and intervals
 * itself): its `parsers` option on every query, as in drizzle-orm/pglite/session.js.
 */
const drizzleRawTypes = [
  types.TIMESTAMP,
  types.TIMESTAMPTZ,
  types.INTERVAL,
  types.DATE,
  1231, // numeric[]
  1115, // timestamp[]
  1185, // timestamptz[]
  1187, // interval[]
  1182, // date[]
];

function withoutParsers(options: QueryOptions): QueryOptions {
  if (!options?.parsers) return options;
  const { parsers: _sameAsTheClients, ...rest } = options;
  return rest;
}

/**
 * PGlite copies its whole parser table (some 320 types) into a new object for every query given its own
 * `parsers`, which drizzle gives every query: ~0.3 ms of CPU per statement, more than a small statement
 * itself costs. So the client gets drizzle's parsers once, as its own, and queries are passed on
 * without them (same results, no copy). For a client only drizzle uses.
 */
export function parseOnceForDrizzle(client: PGlite): PGlite {
  const identity = (value: string) => value;
  for (const oid of drizzleRawTypes) client.parsers[oid] = identity;
  const query = client.query.bind(client);
  client.query = ((sql: string, params?: unknown[], options?: QueryOptions) =>
    query(sql, params, withoutParsers(options))) as PGlite['query'];
  const transaction = client.transaction.bind(client);
  client.transaction = (<T>(fn: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = ((sql: string, params?: unknown[], options?: QueryOptions) =>
        txQuery(sql, params, withoutParsers(options))) as Transaction['query'];
      return fn(tx);
    })) as PGlite['transaction'];
  return client;
}
