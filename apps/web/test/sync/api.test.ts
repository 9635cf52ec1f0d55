import { type SfuServer, startSfu } from '@rhizom/sfu';
import { TokenVerifier } from 'livekit-server-sdk';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/**
 * The sync API the browser client uses: initial load, catch-up and join tokens, with the app's real
 * domain, permissions and outbox, and a real SFU behind the broadcaster.
 */
const KEY = 'apikey';
const SECRET = 'sync-api-test-secret-long-enough-for-hs256';

describe.each(databaseKinds)('sync API on %s', (kind) => {
  let sfu: SfuServer;
  let runtime: TestRuntime;
  let ada: TestUser;
  let bob: TestUser;
  let open: string;
  let closed: string;

  beforeAll(async () => {
    sfu = await startSfu({ port: 0, keys: { [KEY]: SECRET }, logger: pino({ level: 'silent' }) });
    process.env.LIVEKIT_URL = sfu.url;
    process.env.LIVEKIT_API_KEY = KEY;
    process.env.LIVEKIT_API_SECRET = SECRET;
    runtime = await testRuntime(kind);
    ada = await signUp(runtime, 'Ada');
    bob = await signInAsGuest(runtime, 'Bob');
    open = (await ada.api.being.create({ name: 'Open', type: 'space' })).id;
    closed = (await ada.api.being.create({ name: 'Closed', type: 'space', visibility: 'private' })).id;
  });
  afterAll(async () => {
    await runtime?.dispose();
    await sfu?.close();
  });

  it('loads a snapshot exact at its seq, then since returns every later event in order', async () => {
    const snapshot = await bob.api.sync.snapshot({ spaceId: open });
    expect(snapshot.beings.map((b) => b.id)).toContain(open);
    const first = await ada.api.intention.createUtterance({ spaceId: open, content: 'one' });
    const second = await bob.api.intention.createUtterance({ spaceId: open, content: 'two' });
    const answer = await bob.api.sync.since({ spaceId: open, epoch: snapshot.epoch, afterSeq: snapshot.seq });
    if (answer.kind !== 'events') throw new Error(`expected events, got ${answer.kind}`);
    expect(answer.events.map((event) => [event.seq, event.type, event.entity.id])).toEqual([
      [snapshot.seq + 1, 'intention.upsert', first.id],
      [snapshot.seq + 2, 'intention.upsert', second.id],
    ]);
    const later = await bob.api.sync.snapshot({ spaceId: open });
    expect(later.seq).toBe(snapshot.seq + 2);
    expect(later.intentions.map((row) => row.content).slice(-2)).toEqual(['one', 'two']);
  });

  it('answers an unknown epoch with a reset snapshot', async () => {
    const answer = await bob.api.sync.since({ spaceId: open, epoch: 'not-the-epoch', afterSeq: 0 });
    expect(answer.kind).toBe('reset');
  });

  it('hides a private space from non-members: snapshot, since and tokens all say not found', async () => {
    const visitor = await anonymousApi(runtime);
    for (const caller of [bob.api, visitor]) {
      await expect(caller.sync.snapshot({ spaceId: closed })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(caller.sync.since({ spaceId: closed, epoch: 'e', afterSeq: 0 })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(caller.livekit.getJoinToken({ spaceId: closed })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    await expect(ada.api.sync.snapshot({ spaceId: closed })).resolves.toMatchObject({ space: closed });
  });

  it('rejects bad input with a clear error', async () => {
    await expect(bob.api.sync.since({ spaceId: open, epoch: 'e', afterSeq: -1 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(bob.api.sync.since({ spaceId: open, epoch: '', afterSeq: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(bob.api.sync.snapshot({ spaceId: 'no spaces allowed' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(bob.api.sync.snapshot({ spaceId: '@does-not-exist' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('issues receive-only tokens, one identity per connection, visitors hidden', async () => {
    const verifier = new TokenVerifier(KEY, SECRET);
    const one = await bob.api.livekit.getJoinToken({ spaceId: open });
    const two = await bob.api.livekit.getJoinToken({ spaceId: open });
    expect(one.url).toBe(sfu.url);
    const [claimsOne, claimsTwo] = await Promise.all([
      verifier.verify(one.token),
      verifier.verify(two.token),
    ]);
    expect(claimsOne.sub).not.toBe(claimsTwo.sub);
    expect(claimsOne.sub?.startsWith(`${bob.actor.beingId}#`)).toBe(true);
    expect(claimsOne.attributes).toEqual({ beingId: bob.actor.beingId });
    expect(claimsOne.name).toBe('Bob');
    expect(claimsOne.video).toMatchObject({
      room: open,
      roomJoin: true,
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
    });
    const visitor = await (await anonymousApi(runtime)).livekit.getJoinToken({ spaceId: open });
    expect((await verifier.verify(visitor.token)).video).toMatchObject({
      hidden: true,
      canPublishData: false,
    });
  });
});
