import type { PGlite, Transaction } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalStream } from '../../src/domain/streams.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signInAsGuest, type TestUser } from '../support/users.ts';

/**
 * What a post costs the database: on PGlite every statement is CPU of the app's own process, so the write
 * of a message keeps to one statement per step (sight of the space, the message, the unread counts, one
 * per sync stream). A step that splits into several again shows here.
 */
describe('the statements of a post on PGlite', () => {
  let runtime: TestRuntime;
  let owner: TestUser;
  let writer: TestUser;
  /** Statements run inside write transactions while `counting` (BEGIN and COMMIT not included). */
  const statements: string[] = [];
  let counting = false;

  beforeAll(async () => {
    runtime = await testRuntime('pglite');
    const client = (runtime.db as unknown as { $client: PGlite }).$client;
    const transaction = client.transaction.bind(client);
    client.transaction = (<T>(fn: (tx: Transaction) => Promise<T>) =>
      transaction((tx) => {
        const query = tx.query.bind(tx);
        tx.query = ((...args: Parameters<Transaction['query']>) => {
          if (counting) statements.push(args[0]);
          return query(...args);
        }) as Transaction['query'];
        return fn(tx);
      })) as PGlite['transaction'];
    owner = await signInAsGuest(runtime, 'Owner');
    writer = await signInAsGuest(runtime, 'Writer');
  });
  afterAll(async () => runtime?.dispose());

  const countedPost = async (author: TestUser, spaceId: string) => {
    statements.length = 0;
    counting = true;
    try {
      await author.api.intention.createUtterance({ spaceId, content: 'counted' });
    } finally {
      counting = false;
    }
    return statements.length;
  };

  it('runs five in a top-level space: sight (with membership), message, counts, space and reader streams', async () => {
    const space = await owner.api.being.create({ name: 'Counted', type: 'space' });
    await writer.api.intention.createUtterance({ spaceId: space.id, content: 'first' });
    expect(await countedPost(writer, space.id)).toBe(5);
    // Nothing was left out: the owner follows the space, and its stream has the count of both posts.
    const followed = await owner.api.sync.snapshot({ spaceId: personalStream(owner.actor.beingId) });
    expect(followed.activity).toContainEqual({ id: space.id, messages: 2, read: 0 });
  });

  it('adds one per space it is inside, still one for each level', async () => {
    const outer = await owner.api.being.create({ name: 'Outer', type: 'space' });
    const inner = await owner.api.being.create({ name: 'Inner', type: 'space', locationId: outer.id });
    await writer.api.intention.createUtterance({ spaceId: inner.id, content: 'first' });
    expect(await countedPost(writer, inner.id)).toBe(6);
  });
});
