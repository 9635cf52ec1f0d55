import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yieldBeforeStatements } from '../../src/db/pglite-fairness.ts';

/**
 * A queue of writes on PGlite must leave the event loop turns to serve other requests: a callback queued
 * behind the first of many transactions (as a new connection's request would be) runs long before the last
 * of them has finished.
 */
describe('PGlite statements take turns with the event loop', () => {
  let client: PGlite;

  beforeAll(async () => {
    client = yieldBeforeStatements(await PGlite.create());
    await client.exec('create table posts (id serial primary key, body text)');
  });
  afterAll(async () => client?.close());

  it('runs an I/O callback between the transactions of a queue, not after all of them', async () => {
    const db = drizzle({ client });
    const finished: number[] = [];
    let servedAfter: number | null = null;
    const queue = Array.from({ length: 30 }, (_, i) =>
      db
        .transaction(async (tx) => {
          await tx.execute(sql`insert into posts (body) values (${`post ${i}`})`);
          await tx.execute(sql`select count(*) from posts`);
        })
        .then(() => finished.push(i)),
    );
    setImmediate(() => {
      servedAfter = finished.length;
    });
    await Promise.all(queue);
    expect(finished).toHaveLength(30);
    expect(servedAfter).not.toBeNull();
    expect(servedAfter as unknown as number).toBeLessThan(5);
  });
});
