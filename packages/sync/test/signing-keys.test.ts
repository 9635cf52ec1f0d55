import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSigningKeys, rotateSigningKey } from '../src/server/signing-keys.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from './support/database.ts';

/** The deployment's signing keys: one shared by every process, rotatable, only public halves published. */
describe.each(databaseKinds)('signing keys on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  beforeEach(() => test.reset());
  afterAll(() => test.close());

  it('two processes starting together agree on one key, and publish no private half', async () => {
    const [a, b] = [createSigningKeys({ db: test.db }), createSigningKeys({ db: test.db })];
    const [keyA, keyB] = await Promise.all([a.current(), b.current()]);
    // Both may have created one in the race; after a refresh both sign with the newest.
    const again = await createSigningKeys({ db: test.db }).current();
    expect([keyA.id, keyB.id]).toContain(again.id);
    const published = await createSigningKeys({ db: test.db }).published();
    expect(published.map((key) => key.id)).toContain(again.id);
    for (const key of published) expect(Object.keys(key).sort()).toEqual(['id', 'publicKey']);
  });

  it('a rotation reaches every process at its next refresh; the old key stays published until retired', async () => {
    const process1 = createSigningKeys({ db: test.db, refreshMs: 0 });
    const cached = createSigningKeys({ db: test.db, refreshMs: 60_000 });
    const old = await process1.current();
    expect((await cached.current()).id).toBe(old.id);
    const rotated = await rotateSigningKey(test.db);
    expect(rotated.retiring).toEqual([old.id]);
    expect((await process1.current()).id).toBe(rotated.id);
    // Until its refresh, another process still signs with the old key, which clients still accept.
    expect((await cached.current()).id).toBe(old.id);
    expect((await process1.published()).map((key) => key.id).sort()).toEqual([old.id, rotated.id].sort());

    // A leaked key: retired at once, no longer handed to any client.
    const urgent = await rotateSigningKey(test.db, { retireOthersAfterMs: 0 });
    expect(urgent.retiring.sort()).toEqual([old.id, rotated.id].sort());
    expect((await process1.published()).map((key) => key.id)).toEqual([urgent.id]);
  });

  it('a key retired at once (leaked) is never handed out again, not even by a process that cached it', async () => {
    const warm = createSigningKeys({ db: test.db, refreshMs: 60_000 });
    const leaked = await warm.current();
    expect((await warm.published()).map((key) => key.id)).toEqual([leaked.id]);
    const urgent = await rotateSigningKey(test.db, { retireOthersAfterMs: 0 });
    // A client that asks this process for keys learns the new set, without the leaked key, at once.
    expect((await warm.published()).map((key) => key.id)).toEqual([urgent.id]);
  });
});
