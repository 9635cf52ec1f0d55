import type { SfuServer } from '@rhizom/sfu';
import { PacketOpener } from '@rhizom/sync';
import { openAndDecode } from '@rhizom/sync/client';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import type { TestRuntime } from '../support/runtime.ts';
import { SYNC_STACK_KEY, SYNC_STACK_SECRET, type SyncStack, startSyncStack } from '../support/sync-stack.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/**
 * The sync API the browser client uses: initial load, catch-up and join tokens, with the app's real
 * domain, permissions and outbox, and a real SFU behind the broadcaster.
 */
describe.each(databaseKinds)('sync API on %s', (kind) => {
  let stack: SyncStack;
  let sfu: SfuServer;
  let runtime: TestRuntime;
  let ada: TestUser;
  let bob: TestUser;
  let open: string;
  let closed: string;

  beforeAll(async () => {
    stack = await startSyncStack(kind);
    ({ sfu, runtime } = stack);
    ada = await signUp(runtime, 'Ada');
    bob = await signInAsGuest(runtime, 'Bob');
    open = (await ada.api.being.create({ name: 'Open', type: 'space' })).id;
    closed = (await ada.api.being.create({ name: 'Closed', type: 'space', visibility: 'private' })).id;
  });
  afterAll(async () => stack?.close());

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

  it('issues tokens that publish only presence heartbeats, one identity per connection, visitors hidden and silent', async () => {
    const verifier = new TokenVerifier(SYNC_STACK_KEY, SYNC_STACK_SECRET);
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
      canPublishData: true,
    });
    const visitor = await (await anonymousApi(runtime)).livekit.getJoinToken({ spaceId: open });
    expect((await verifier.verify(visitor.token)).video).toMatchObject({
      hidden: true,
      canPublishData: false,
    });
  });

  it('a member removed from a private space, back with the token they held, gets only what they cannot open', async () => {
    const carol = await signUp(runtime, 'Carol');
    const room = (await ada.api.being.create({ name: 'Inner', type: 'space', visibility: 'private' })).id;
    await ada.api.space.addMember({ spaceId: room, beingId: carol.actor.beingId });
    // What Carol holds while she is a member: the space's keys and a join token.
    const held = await carol.api.sync.snapshot({ spaceId: room });
    const { url, token } = await carol.api.livekit.getJoinToken({ spaceId: room });
    // Ada listens with the app's real client path, so we know what the room carried.
    const adaSees = await stack.capture(url, (await ada.api.livekit.getJoinToken({ spaceId: room })).token);

    await ada.api.space.removeMember({ spaceId: room, beingId: carol.actor.beingId });
    const carolSees = await stack.capture(url, token);
    const after = await ada.api.intention.createUtterance({ spaceId: room, content: 'not for Carol' });
    await expect.poll(() => adaSees.packets.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Whatever reached either connection after the removal, Carol's old keys open none of it.
    const received = [...adaSees.packets, ...carolSees.packets];
    for (const packet of received) expect(new TextDecoder().decode(packet)).not.toContain('not for Carol');
    const carolOpener = new PacketOpener(room);
    await carolOpener.setKeys(held.keys);
    for (const packet of received) {
      expect(await openAndDecode(carolOpener, packet)).toMatchObject({
        ok: false,
        reason: 'unknown-space-key',
      });
    }
    // The packets are genuine: Ada, a member, opens them with the keys she is handed now.
    const adaOpener = new PacketOpener(room);
    await adaOpener.setKeys(await ada.api.sync.keys({ spaceId: room }));
    const opened = await Promise.all(adaSees.packets.map((packet) => openAndDecode(adaOpener, packet)));
    const carried = opened.flatMap((result) => (result.ok ? result.packet.events : []));
    expect(carried.map((event) => ('entity' in event ? event.entity.id : null))).toContain(after.id);
    // And Carol cannot get the new key by any call.
    await expect(carol.api.sync.keys({ spaceId: room })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(carol.api.sync.snapshot({ spaceId: room })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      carol.api.sync.since({ spaceId: room, epoch: held.epoch, afterSeq: held.seq }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await adaSees.room.disconnect();
    await carolSees.room.disconnect();
  });
});
