import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { beings } from '../../src/db/schema/index.ts';
import { createDomain } from '../../src/domain/index.ts';

/**
 * On PGlite, domain writes queue among themselves (`oneWriteAtATime`), so a read issued behind a burst of
 * writes (a page opened during 50 posts a second) is answered after the running write, not after all of them.
 */
describe('domain writes on PGlite take turns', () => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await createDatabase({ dataDir: 'memory://' });
  });
  afterAll(async () => handle?.close());

  const burstThenRead = async (oneWriteAtATime: boolean) => {
    const { write } = createDomain({ db: handle.db, oneWriteAtATime });
    const finished: number[] = [];
    const writes = Array.from({ length: 30 }, (_, i) =>
      write(async (scope) => {
        await scope.tx.execute(sql`select pg_catalog.now()`);
        await scope.tx.execute(sql`select count(*) from ${beings}`);
      }).then(() => finished.push(i)),
    );
    await handle.db.select({ id: beings.id }).from(beings).limit(1);
    const finishedBeforeRead = finished.length;
    await Promise.all(writes);
    expect(finished).toHaveLength(30);
    return finishedBeforeRead;
  };

  it('answers a read behind a burst of writes after at most the running ones', async () => {
    expect(await burstThenRead(true)).toBeLessThan(3);
  });

  it('without turns, the read waits for every write queued before it (why the option exists)', async () => {
    expect(await burstThenRead(false)).toBe(30);
  });
});
