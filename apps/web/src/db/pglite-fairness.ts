import type { PGlite, Transaction } from '@electric-sql/pglite';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite runs Postgres on this thread and never waits for I/O: each statement is synchronous work, and the
 * next statement, or the next transaction waiting for its lock, starts as a promise continuation. So a queue
 * of writes (a burst of posts) ran back to back without the event loop ever polling: no connection was
 * accepted and no request read, however cheap (a page's script), until the whole queue was done. Every
 * statement now first lets the event loop take a turn, so other requests interleave with the queue instead
 * of waiting behind all of it.
 */
export function yieldBeforeStatements(client: PGlite): PGlite {
  const query = client.query.bind(client);
  client.query = (async (...args: Parameters<PGlite['query']>) => {
    await nextTurn();
    return query(...args);
  }) as PGlite['query'];
  const transaction = client.transaction.bind(client);
  client.transaction = (<T>(fn: (tx: Transaction) => Promise<T>) =>
    transaction((tx) => {
      const txQuery = tx.query.bind(tx);
      tx.query = (async (...args: Parameters<Transaction['query']>) => {
        await nextTurn();
        return txQuery(...args);
      }) as Transaction['query'];
      return fn(tx);
    })) as PGlite['transaction'];
  return client;
}
