import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOnceForDrizzle } from '../../src/db/pglite-parsers.ts';

/**
 * drizzle on a client given its parsers once (`pglite-parsers.ts`) reads every type drizzle parses itself
 * exactly as drizzle on a plain client does, in and out of transactions, and PGlite never gets per-query
 * parsers (whose copy was the cost).
 */
describe('PGlite parsers given once for drizzle', () => {
  let plain: PGlite;
  let once: PGlite;
  const perQueryParsers: unknown[] = [];

  beforeAll(async () => {
    plain = await PGlite.create();
    once = await PGlite.create();
    const query = once.query.bind(once);
    // Sees what reaches PGlite's own query, under the wrapper.
    once.query = ((text: string, params?: unknown[], options?: Parameters<PGlite['query']>[2]) => {
      perQueryParsers.push(options?.parsers);
      return query(text, params, options);
    }) as PGlite['query'];
    parseOnceForDrizzle(once);
  });
  afterAll(async () => {
    await plain?.close();
    await once?.close();
  });

  const probe = sql`select
    timestamp '2026-12-01 03:04:05.678' as ts,
    timestamptz '2026-12-01 03:04:05.678+02' as tstz,
    date '2026-12-01' as day,
    interval '1 day 02:03:04' as span,
    array[timestamp '2026-01-01 00:00:00', timestamp '2026-01-02 00:00:00'] as stamps,
    array[1.5, 2.25]::numeric[] as amounts,
    '{"a":[1,2]}'::jsonb as doc,
    42::int8 as big,
    array['x','y'] as words`;

  it('reads dates, intervals, arrays and json as drizzle on a plain client does', async () => {
    const expected = await drizzle({ client: plain }).execute(probe);
    const db = drizzle({ client: once });
    expect(await db.execute(probe)).toEqual(expected);
    expect(await db.transaction((tx) => tx.execute(probe))).toEqual(expected);
    expect(expected.rows[0]).toMatchObject({ ts: '2026-12-01 03:04:05.678', span: '1 day 02:03:04' });
  });

  it('passes no per-query parsers to PGlite', async () => {
    perQueryParsers.length = 0;
    await drizzle({ client: once }).execute(sql`select now() as at`);
    expect(perQueryParsers).toEqual([undefined]);
  });
});
