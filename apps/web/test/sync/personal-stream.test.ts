import { Room, RoomEvent } from '@livekit/rtc-node';
import { type SfuServer, startSfu } from '@rhizom/sfu';
import { PacketOpener } from '@rhizom/sync';
import { openAndDecode } from '@rhizom/sync/client';
import { TokenVerifier } from 'livekit-server-sdk';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, makeSuperuser, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/**
 * The sidebar's streams with the app's real domain, permissions and outbox: a being's personal stream
 * (spaces it follows, read positions) that only it may read, and the directory of public spaces.
 */
const KEY = 'apikey';
const SECRET = 'personal-stream-test-secret-long-enough';

describe.each(databaseKinds)('personal and directory streams on %s', (kind) => {
  let sfu: SfuServer;
  let runtime: TestRuntime;
  let ada: TestUser;
  let bob: TestUser;
  let adaStream: string;
  let bobStream: string;

  beforeAll(async () => {
    sfu = await startSfu({ port: 0, keys: { [KEY]: SECRET }, logger: pino({ level: 'silent' }) });
    runtime = await testRuntime(kind, { livekit: { url: sfu.url, apiKey: KEY, apiSecret: SECRET } });
    ada = await signUp(runtime, 'Ada');
    bob = await signInAsGuest(runtime, 'Bob');
    adaStream = `~${ada.actor.beingId}`;
    bobStream = `~${bob.actor.beingId}`;
  });
  afterAll(async () => {
    await runtime?.dispose();
    await sfu?.close();
  });

  /** Everything a being's stream got since `from` (a snapshot), read the way clients catch up. */
  async function eventsSince(user: TestUser, stream: string, from: { epoch: string; seq: number }) {
    const answer = await user.api.sync.since({ spaceId: stream, epoch: from.epoch, afterSeq: from.seq });
    if (answer.kind !== 'events') throw new Error(`expected events, got ${answer.kind}`);
    return answer.events;
  }

  it('lists the spaces a being owns or belongs to, and public ones in the directory', async () => {
    const secret = await ada.api.being.create({ name: 'Ada secret', type: 'space', visibility: 'private' });
    const square = await ada.api.being.create({ name: 'Ada square', type: 'space' });
    const mine = await ada.api.sync.snapshot({ spaceId: adaStream });
    expect(mine.beings.map((being) => being.id)).toEqual(expect.arrayContaining([secret.id, square.id]));
    expect(mine.intentions).toEqual([]);
    expect(mine.activity).toEqual(expect.arrayContaining([{ id: secret.id, messages: 0, read: 0 }]));
    const directory = await (await anonymousApi(runtime)).sync.snapshot({ spaceId: '~spaces' });
    const listed = directory.beings.map((being) => being.id);
    expect(listed).toContain(square.id);
    expect(listed).not.toContain(secret.id);
    const bobs = await bob.api.sync.snapshot({ spaceId: bobStream });
    expect(bobs.beings.map((being) => being.id)).not.toContain(secret.id);
  });

  it('refuses anyone else a personal stream: snapshot, since, keys and join token say not found', async () => {
    const held = await ada.api.sync.snapshot({ spaceId: adaStream });
    const admin = await makeSuperuser(runtime, await signUp(runtime, 'Root'));
    for (const caller of [bob.api, admin.api, await anonymousApi(runtime)]) {
      await expect(caller.sync.snapshot({ spaceId: adaStream })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        caller.sync.since({ spaceId: adaStream, epoch: held.epoch, afterSeq: 0 }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(caller.sync.keys({ spaceId: adaStream })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(caller.livekit.getJoinToken({ spaceId: adaStream })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    }
    // A connection in Ada's room that is not Ada is removed on join and at every reconciliation.
    expect(await runtime.domain.spaces.mayView(bob.actor.beingId, adaStream)).toBe(false);
    expect(await runtime.domain.spaces.mayView(null, adaStream)).toBe(false);
    expect(await runtime.domain.spaces.mayView(ada.actor.beingId, adaStream)).toBe(true);
    await expect(ada.api.livekit.getJoinToken({ spaceId: adaStream })).resolves.toMatchObject({
      url: sfu.url,
    });
  });

  it('lets everyone into the directory room hidden, so it shows nobody who is online', async () => {
    const verifier = new TokenVerifier(KEY, SECRET);
    const { token } = await ada.api.livekit.getJoinToken({ spaceId: '~spaces' });
    const claims = await verifier.verify(token);
    expect(claims.video).toMatchObject({ room: '~spaces', hidden: true, canPublishData: false });
    expect(claims.attributes ?? {}).not.toHaveProperty('beingId');
    expect(claims.name).not.toBe('Ada');
    const own = await verifier.verify((await ada.api.livekit.getJoinToken({ spaceId: adaStream })).token);
    expect(own.video).toMatchObject({ room: adaStream, canPublishData: false });
  });

  it('rejects a stream name that is none of the three kinds with a clear error', async () => {
    for (const spaceId of ['~nobody', '~', 'spaces', '~@Ada', `~~${ada.actor.beingId}`]) {
      await expect(ada.api.sync.snapshot({ spaceId })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('~spaces'),
      });
    }
  });

  it('follows renames, membership and deletion live', async () => {
    const club = await ada.api.being.create({ name: 'Club', type: 'space', visibility: 'private' });
    const adaFrom = await ada.api.sync.snapshot({ spaceId: adaStream });
    const bobFrom = await bob.api.sync.snapshot({ spaceId: bobStream });

    await ada.api.space.addMember({ spaceId: club.id, beingId: bob.actor.beingId });
    await ada.api.being.update({ id: club.id, name: 'Club house' });
    await ada.api.space.removeMember({ spaceId: club.id, beingId: bob.actor.beingId });
    await ada.api.being.delete({ id: club.id });

    const summary = (events: Awaited<ReturnType<typeof eventsSince>>) =>
      events.map((event) =>
        event.type === 'being.upsert'
          ? [event.type, event.entity.id, event.entity.name]
          : [event.type, event.entity.id],
      );
    expect(summary(await eventsSince(bob, bobStream, bobFrom))).toEqual([
      ['being.upsert', club.id, 'Club'],
      ['being.upsert', club.id, 'Club house'],
      ['being.remove', club.id],
    ]);
    expect(summary(await eventsSince(ada, adaStream, adaFrom))).toEqual([
      ['being.upsert', club.id, 'Club house'],
      ['being.remove', club.id],
    ]);
  });

  it('carries the being itself, so a rename reaches every tab of its own', async () => {
    const from = await ada.api.sync.snapshot({ spaceId: adaStream });
    expect(from.beings.map((being) => being.id)).toContain(ada.actor.beingId);
    await ada.api.being.update({ id: ada.actor.beingId, name: 'Ada Lovelace' });
    expect((await eventsSince(ada, adaStream, from)).map((event) => event.entity)).toEqual([
      expect.objectContaining({ id: ada.actor.beingId, name: 'Ada Lovelace' }),
    ]);
  });

  it('tells the directory about public spaces: created, renamed, gone private', async () => {
    const visitor = await anonymousApi(runtime);
    const from = await visitor.sync.snapshot({ spaceId: '~spaces' });
    const plaza = await bob.api.being.create({ name: 'Plaza', type: 'space' });
    await bob.api.being.update({ id: plaza.id, name: 'Town plaza' });
    await bob.api.being.update({ id: plaza.id, visibility: 'private' });
    const answer = await visitor.sync.since({ spaceId: '~spaces', epoch: from.epoch, afterSeq: from.seq });
    if (answer.kind !== 'events') throw new Error('expected events');
    expect(
      answer.events.map((event) => [
        event.type,
        event.type === 'being.upsert' ? event.entity.name : event.entity.id,
      ]),
    ).toEqual([
      ['being.upsert', 'Plaza'],
      ['being.upsert', 'Town plaza'],
      ['being.remove', plaza.id],
    ]);
  });

  it('lists no space a visitor may not see: inside a private one, moved there, or under one gone private', async () => {
    const visitor = await anonymousApi(runtime);
    const from = await visitor.sync.snapshot({ spaceId: '~spaces' });
    const vault = await ada.api.being.create({ name: 'Vault', type: 'space', visibility: 'private' });
    const annex = await ada.api.being.create({ name: 'Annex', type: 'space', locationId: vault.id });
    const hall = await ada.api.being.create({ name: 'Hall', type: 'space' });
    const nook = await ada.api.being.create({ name: 'Nook', type: 'space', locationId: hall.id });
    await ada.api.being.move({ id: hall.id, locationId: vault.id });
    const yard = await ada.api.being.create({ name: 'Yard', type: 'space' });
    const shed = await ada.api.being.create({ name: 'Shed', type: 'space', locationId: yard.id });
    await ada.api.being.update({ id: yard.id, visibility: 'private' });

    const listed = (await visitor.sync.snapshot({ spaceId: '~spaces' })).beings.map((being) => being.id);
    for (const hidden of [vault, annex, hall, nook, yard, shed]) expect(listed).not.toContain(hidden.id);
    const answer = await visitor.sync.since({ spaceId: '~spaces', epoch: from.epoch, afterSeq: from.seq });
    if (answer.kind !== 'events') throw new Error('expected events');
    const seen = answer.events.map((event) => [event.type, event.entity.id]);
    // Annex and the vault never reach the directory; the rest leave it when they stop being visible.
    expect(JSON.stringify(answer.events)).not.toContain(annex.id);
    expect(JSON.stringify(answer.events)).not.toContain(vault.id);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['being.remove', hall.id],
        ['being.remove', nook.id],
        ['being.remove', yard.id],
        ['being.remove', shed.id],
      ]),
    );
    const last = new Map(seen.map(([type, id]) => [id, type]));
    for (const gone of [hall, nook, yard, shed]) expect(last.get(gone.id)).toBe('being.remove');
  });

  it("keeps a public space inside a private one out of others' search, and what it held hidden when it is deleted", async () => {
    const visitor = await anonymousApi(runtime);
    const vault = await ada.api.being.create({ name: 'Deep vault', type: 'space', visibility: 'private' });
    const annex = await ada.api.being.create({ name: 'Deep annex', type: 'space', locationId: vault.id });
    const plan = await ada.api.being.create({
      name: 'Plan',
      type: 'document',
      locationId: annex.id,
      content: 'the secret plan',
    });
    await expect(visitor.being.get({ id: plan.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const api of [visitor, bob.api]) {
      const found = await api.being.search({ query: 'Deep annex' });
      expect(found.items.map((being) => being.id)).not.toContain(annex.id);
      const plans = await api.being.search({ query: 'Plan' });
      expect(plans.items.map((being) => being.id)).not.toContain(plan.id);
    }
    expect((await ada.api.being.search({ query: 'Deep annex' })).items.map((being) => being.id)).toContain(
      annex.id,
    );
    await ada.api.being.delete({ id: annex.id });
    await expect(visitor.being.get({ id: plan.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(bob.api.being.get({ id: plan.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('counts unread messages per reader (the author has read its own), and reading clears them', async () => {
    const desk = await ada.api.being.create({ name: 'Desk', type: 'space', visibility: 'private' });
    await ada.api.intention.createUtterance({ spaceId: desk.id, content: 'before Bob' });
    await ada.api.space.addMember({ spaceId: desk.id, beingId: bob.actor.beingId });
    const bobJoined = await bob.api.sync.snapshot({ spaceId: bobStream });
    // Nothing from before he was added is unread for Bob.
    expect(bobJoined.activity).toContainEqual({ id: desk.id, messages: 1, read: 1 });
    const adaFrom = await ada.api.sync.snapshot({ spaceId: adaStream });

    await bob.api.intention.createUtterance({ spaceId: desk.id, content: 'one' });
    await bob.api.intention.createUtterance({ spaceId: desk.id, content: 'two' });
    const activity = (await eventsSince(ada, adaStream, adaFrom)).filter((e) => e.type === 'activity.upsert');
    expect(activity.map((event) => event.entity)).toEqual([
      { id: desk.id, messages: 2, read: 1 },
      { id: desk.id, messages: 3, read: 1 },
    ]);
    // The author has read what he wrote: nothing is unread for him, and his stream heard nothing.
    const bobNow = await bob.api.sync.snapshot({ spaceId: bobStream });
    expect(bobNow.activity).toContainEqual({ id: desk.id, messages: 3, read: 3 });
    expect(bobNow.seq).toBe(bobJoined.seq);

    const readFrom = await ada.api.sync.snapshot({ spaceId: adaStream });
    expect(await ada.api.space.markRead({ spaceId: desk.id })).toEqual({ id: desk.id, messages: 3, read: 3 });
    expect((await eventsSince(ada, adaStream, readFrom)).map((event) => event.entity)).toEqual([
      { id: desk.id, messages: 3, read: 3 },
    ]);
    expect((await ada.api.sync.snapshot({ spaceId: adaStream })).activity).toContainEqual({
      id: desk.id,
      messages: 3,
      read: 3,
    });
  });

  it('lets no one mark read a space they cannot see', async () => {
    const hidden = await ada.api.being.create({ name: 'Hidden', type: 'space', visibility: 'private' });
    await expect(bob.api.space.markRead({ spaceId: hidden.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect((await anonymousApi(runtime)).space.markRead({ spaceId: hidden.id })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('seals the personal room: what it carries opens only with its own key', async () => {
    const vault = await ada.api.being.create({ name: 'Vault', type: 'space', visibility: 'private' });
    const held = await ada.api.sync.snapshot({ spaceId: adaStream });
    const { url, token } = await ada.api.livekit.getJoinToken({ spaceId: adaStream });
    const room = new Room();
    const packets: Uint8Array[] = [];
    room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      if (topic === 'sync' && !participant) packets.push(new Uint8Array(payload));
    });
    await room.connect(url, token, { autoSubscribe: true, dynacast: false });
    try {
      await ada.api.being.update({ id: vault.id, name: 'Vault of secrets' });
      await expect.poll(() => packets.length, { timeout: 20_000 }).toBeGreaterThan(0);
      for (const packet of packets) {
        expect(new TextDecoder().decode(packet)).not.toContain('Vault of secrets');
      }
      // Bob's own keys (his personal stream's) open nothing of Ada's.
      const bobOpener = new PacketOpener(adaStream);
      await bobOpener.setKeys((await bob.api.sync.snapshot({ spaceId: bobStream })).keys);
      for (const packet of packets) {
        expect(await openAndDecode(bobOpener, packet)).toMatchObject({ ok: false });
      }
      const adaOpener = new PacketOpener(adaStream);
      await adaOpener.setKeys(held.keys);
      const opened = await Promise.all(packets.map((packet) => openAndDecode(adaOpener, packet)));
      const names = opened.flatMap((result) =>
        result.ok ? result.packet.events.map((event) => ('entity' in event ? event.entity : null)) : [],
      );
      expect(names).toContainEqual(expect.objectContaining({ id: vault.id, name: 'Vault of secrets' }));
    } finally {
      await room.disconnect();
    }
  });
});
