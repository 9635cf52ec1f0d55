import { Room, RoomEvent } from '@livekit/rtc-node';
import { type SfuServer, startSfu } from '@rhizom/sfu';
import { PacketOpener, type SyncKeys } from '@rhizom/sync';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/**
 * A being's events go only to streams whose viewers may see it. Attacked through every path a
 * signed-out visitor and a signed-in non-member have: snapshot, catch-up, the room's live packets
 * (real SFU, @livekit/rtc-node), and the API and search after a private space is deleted.
 */
const KEY = 'visibility-key';
const SECRET = 'visibility-test-secret-long-enough-for-hs256';

describe.each(databaseKinds)('visibility of what private spaces hold, on %s', (kind) => {
  let sfu: SfuServer;
  let runtime: TestRuntime;
  let ada: TestUser;
  let carol: TestUser;
  const rooms: Room[] = [];

  beforeAll(async () => {
    sfu = await startSfu({ port: 0, keys: { [KEY]: SECRET }, logger: pino({ level: 'silent' }) });
    runtime = await testRuntime(kind, { livekit: { url: sfu.url, apiKey: KEY, apiSecret: SECRET } });
    ada = await signUp(runtime, 'Ada');
    carol = await signInAsGuest(runtime, 'Carol');
  });
  afterAll(async () => {
    for (const room of rooms) await room.disconnect().catch(() => {});
    await runtime?.dispose();
    await sfu?.close();
  });

  /**
   * Everything the room delivers to one connection, as text: each packet opened with the keys the
   * outsider was given (verified, decrypted), beside its raw bytes.
   */
  async function listen(url: string, token: string, space: string, keys: SyncKeys): Promise<() => string> {
    const opener = new PacketOpener(space);
    await opener.setKeys(keys);
    const received: string[] = [];
    const room = new Room();
    rooms.push(room);
    room.on(RoomEvent.DataReceived, async (payload) => {
      const opened = await opener.open(payload);
      received.push(Buffer.from(payload).toString('utf8'));
      received.push(opened.ok ? Buffer.from(opened.plaintext).toString('utf8') : `unopened: ${opened.error}`);
    });
    await room.connect(url, token, { autoSubscribe: true, dynacast: false });
    return () => received.join('\n');
  }

  it('a private space inside a public one: nothing of it in the public snapshot, catch-up or packets', async () => {
    const square = (await ada.api.being.create({ name: 'Town square', type: 'space' })).id;
    const visitor = await anonymousApi(runtime);
    const outsiders = [
      { who: 'visitor', api: visitor },
      { who: 'non-member', api: carol.api },
    ];
    const starts = await Promise.all(outsiders.map(({ api }) => api.sync.snapshot({ spaceId: square })));
    const live = await Promise.all(
      outsiders.map(async ({ api }, index) => {
        const { url, token } = await api.livekit.getJoinToken({ spaceId: square });
        return listen(url, token, square, (starts[index] as (typeof starts)[number]).keys);
      }),
    );

    const hidden = await ada.api.being.create({
      name: 'Hidden garden',
      type: 'space',
      visibility: 'private',
      locationId: square,
      content: 'Where the secret seeds are.',
    });
    await ada.api.being.update({ id: hidden.id, name: 'Renamed garden', content: 'Later secret edit.' });
    // A public space inside that goes private: its viewers saw it, so they see it go, and nothing after.
    const porch = await ada.api.being.create({ name: 'Porch', type: 'space', locationId: square });
    await ada.api.being.update({ id: porch.id, visibility: 'private' });
    await ada.api.being.update({ id: porch.id, name: 'Closed porch', content: 'Porch secret.' });
    const marker = await ada.api.intention.createUtterance({ spaceId: square, content: 'Marker after all.' });

    const secrets = [
      hidden.id,
      'Hidden garden',
      'Where the secret seeds',
      'Renamed garden',
      'Later secret edit',
      'Closed porch',
      'Porch secret',
    ];
    for (const [index, { who, api }] of outsiders.entries()) {
      const snapshot = JSON.stringify(await api.sync.snapshot({ spaceId: square }));
      const start = starts[index];
      if (!start) throw new Error('no starting snapshot');
      const caughtUp = await api.sync.since({ spaceId: square, epoch: start.epoch, afterSeq: start.seq });
      expect(caughtUp.kind, who).toBe('events');
      const packets = live[index] as () => string;
      // The marker was written last: once it arrived, everything before it did too.
      await expect.poll(() => packets().includes(marker.id), { timeout: 15_000 }).toBe(true);
      for (const text of [snapshot, JSON.stringify(caughtUp), packets()]) {
        for (const secret of secrets) expect(text, `${who} read "${secret}"`).not.toContain(secret);
      }
      expect(snapshot, who).not.toContain(porch.id);
    }
    // Its members see it through its own stream.
    const own = await ada.api.sync.snapshot({ spaceId: hidden.id });
    expect(own.beings.find((being) => being.id === hidden.id)).toMatchObject({ name: 'Renamed garden' });
  });

  it('deleting a private space: nothing it held becomes readable by a non-member', async () => {
    const vault = (await ada.api.being.create({ name: 'Vault', type: 'space', visibility: 'private' })).id;
    const doc = await ada.api.being.create({
      name: 'Ledger of whispers',
      type: 'document',
      locationId: vault,
      content: 'Confidential ledger text.',
    });
    const inner = await ada.api.being.create({ name: 'Inner room', type: 'space', locationId: vault });
    const innerDoc = await ada.api.being.create({
      name: 'Inner notes',
      type: 'document',
      locationId: inner.id,
      content: 'Inner secret.',
    });
    await ada.api.being.delete({ id: vault });

    const visitor = await anonymousApi(runtime);
    for (const api of [visitor, carol.api]) {
      for (const id of [doc.id, inner.id, innerDoc.id]) {
        await expect(api.being.get({ id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
      for (const query of ['Ledger', 'Inner', 'whispers']) {
        expect((await api.being.search({ query })).items).toEqual([]);
      }
      await expect(api.sync.snapshot({ spaceId: inner.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    // The owner loses them too: they went with the space.
    await expect(ada.api.being.get({ id: doc.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('deleting a public space moves what it held to the top level, as visible as before', async () => {
    const hall = (await ada.api.being.create({ name: 'Hall', type: 'space' })).id;
    const poster = await ada.api.being.create({ name: 'Poster', type: 'document', locationId: hall });
    const closet = await ada.api.being.create({
      name: 'Closet',
      type: 'space',
      visibility: 'private',
      locationId: hall,
    });
    await ada.api.being.delete({ id: hall });
    const visitor = await anonymousApi(runtime);
    await expect(visitor.being.get({ id: poster.id })).resolves.toMatchObject({ locationId: null });
    await expect(visitor.being.get({ id: closet.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(ada.api.being.get({ id: closet.id })).resolves.toMatchObject({ locationId: null });
  });

  it('creating a being with a private being’s id reveals nothing: derived private ids cannot be guessed', async () => {
    const secret = await ada.api.being.create({ name: 'Skunkworks', type: 'space', visibility: 'private' });
    expect(secret.id).toMatch(/^@skunkworks-[0-9a-f]{12}$/);
    const inside = await ada.api.being.create({ name: 'Blueprint', type: 'document', locationId: secret.id });
    expect(inside.id).toMatch(/^@blueprint-[0-9a-f]{12}$/);
    // The name gives nothing away: the readable id is simply free, for anyone.
    await expect(
      carol.api.being.create({ id: '@skunkworks', name: 'Mine', type: 'space' }),
    ).resolves.toMatchObject({ id: '@skunkworks' });
    // A taken id gets one answer whoever holds it, visible or not.
    const answers = await Promise.all(
      [secret.id, '@skunkworks'].map((id) =>
        carol.api.being
          .create({ id, name: 'Again', type: 'space' })
          .catch((error: { code: string; message: string }) => ({
            code: error.code,
            message: error.message.replace(id, '<id>'),
          })),
      ),
    );
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toMatchObject({ code: 'CONFLICT' });
  });
});
