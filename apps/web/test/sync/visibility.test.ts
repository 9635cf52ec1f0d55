import { PacketOpener, type SyncKeys } from '@rhizom/sync';
import { openAndDecode } from '@rhizom/sync/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import { renamedWriter } from '../support/renamed-writer.ts';
import type { TestRuntime } from '../support/runtime.ts';
import { type SyncStack, startSyncStack } from '../support/sync-stack.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/**
 * A being's events go only to streams whose viewers may see it. Attacked through every path a
 * signed-out visitor and a signed-in non-member have: snapshot, catch-up, the room's live packets
 * (real SFU, @livekit/rtc-node), and the API and search after a private space is deleted.
 */
describe.each(databaseKinds)('visibility of what private spaces hold, on %s', (kind) => {
  let stack: SyncStack;
  let runtime: TestRuntime;
  let ada: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    stack = await startSyncStack(kind);
    runtime = stack.runtime;
    ada = await signUp(runtime, 'Ada');
    carol = await signInAsGuest(runtime, 'Carol');
  });
  afterAll(async () => stack?.close());

  /**
   * Everything the room delivered to one connection so far, as text: each packet opened with the keys the
   * outsider was given (verified, decrypted), beside its raw bytes.
   */
  async function listen(
    url: string,
    token: string,
    space: string,
    keys: SyncKeys,
  ): Promise<() => Promise<string>> {
    const opener = new PacketOpener(space);
    await opener.setKeys(keys);
    const { packets } = await stack.capture(url, token);
    return async () => {
      const texts = await Promise.all(
        packets.map(async (payload) => {
          const opened = await opener.open(payload);
          const plain = opened.ok
            ? Buffer.from(opened.plaintext).toString('utf8')
            : `unopened: ${opened.error}`;
          return `${Buffer.from(payload).toString('utf8')}\n${plain}`;
        }),
      );
      return texts.join('\n');
    };
  }

  /**
   * A signed-out visitor and a signed-in non-member watching a public space: each one's first snapshot, and
   * `read()`, all each could read of it since (snapshot, catch-up and the room's packets) once `marker`
   * (written last) has arrived in the room.
   */
  async function outsidersWatching(space: string) {
    const visitor = await anonymousApi(runtime);
    const outsiders = [
      { who: 'visitor', api: visitor },
      { who: 'non-member', api: carol.api },
    ];
    const starts = await Promise.all(outsiders.map(({ api }) => api.sync.snapshot({ spaceId: space })));
    const live = await Promise.all(
      outsiders.map(async ({ api }, index) => {
        const { url, token } = await api.livekit.getJoinToken({ spaceId: space });
        return listen(url, token, space, (starts[index] as (typeof starts)[number]).keys);
      }),
    );
    return outsiders.map(({ who, api }, index) => ({
      who,
      read: async (marker: string) => {
        const start = starts[index];
        const packets = live[index];
        if (!start || !packets) throw new Error('not watching');
        const snapshot = JSON.stringify(await api.sync.snapshot({ spaceId: space }));
        const caughtUp = await api.sync.since({ spaceId: space, epoch: start.epoch, afterSeq: start.seq });
        expect(caughtUp.kind, who).toBe('events');
        // The marker was written last: once it arrived, everything before it did too.
        await expect.poll(async () => (await packets()).includes(marker), { timeout: 15_000 }).toBe(true);
        return { snapshot, texts: [snapshot, JSON.stringify(caughtUp), await packets()] };
      },
    }));
  }

  it('a private space inside a public one: nothing of it in the public snapshot, catch-up or packets', async () => {
    const square = (await ada.api.being.create({ name: 'Town square', type: 'space' })).id;
    const outsiders = await outsidersWatching(square);

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
    for (const { who, read } of outsiders) {
      const { snapshot, texts } = await read(marker.id);
      for (const text of texts) {
        for (const secret of secrets) expect(text, `${who} read "${secret}"`).not.toContain(secret);
      }
      expect(snapshot, who).not.toContain(porch.id);
    }
    // Its members see it through its own stream.
    const own = await ada.api.sync.snapshot({ spaceId: hidden.id });
    expect(own.beings.find((being) => being.id === hidden.id)).toMatchObject({ name: 'Renamed garden' });
  });

  it('a being inside a public space inside a private one: its renames reach no public room it wrote in', async () => {
    const square = (await ada.api.being.create({ name: 'Market square', type: 'space' })).id;
    const outsiders = await outsidersWatching(square);
    const back = await ada.api.being.create({ name: 'Back office', type: 'space', visibility: 'private' });
    // Public by its own flag, private by where it is.
    const inner = await ada.api.being.create({ name: 'Inner hall', type: 'space', locationId: back.id });
    await renamedWriter(runtime, ada, {
      name: 'Quiet agent',
      home: inner.id,
      wroteIn: square,
      renamedTo: 'Renamed agent',
    });
    const marker = await ada.api.intention.createUtterance({
      spaceId: square,
      content: 'Marker after the rename.',
    });

    const secrets = ['Quiet agent', 'Renamed agent', inner.id, 'Inner hall', back.id, 'Back office'];
    for (const { who, read } of outsiders) {
      const { texts } = await read(marker.id);
      for (const text of texts) {
        for (const secret of secrets) expect(text, `${who} read "${secret}"`).not.toContain(secret);
      }
    }
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

  it('a space moved into a private one: who saw it before and may not now opens nothing after, nor what it holds', async () => {
    const porch = (await ada.api.being.create({ name: 'Open porch', type: 'space' })).id;
    const nook = (await ada.api.being.create({ name: 'Nook', type: 'space', locationId: porch })).id;
    const backRoom = (await ada.api.being.create({ name: 'Back room', type: 'space', visibility: 'private' }))
      .id;
    // What Carol holds while she may see them: the spaces' keys and a join token she can replay.
    const held = await Promise.all([porch, nook].map((spaceId) => carol.api.sync.snapshot({ spaceId })));
    const { url, token } = await carol.api.livekit.getJoinToken({ spaceId: porch });
    const adaSees = await Promise.all(
      [porch, nook].map(async (spaceId) =>
        stack.capture(url, (await ada.api.livekit.getJoinToken({ spaceId })).token),
      ),
    );

    await ada.api.being.move({ id: porch, locationId: backRoom });
    const carolSees = await stack.capture(url, token);
    const after = await Promise.all(
      [porch, nook].map((spaceId) =>
        ada.api.intention.createUtterance({ spaceId, content: 'Behind the door.' }),
      ),
    );

    for (const [index, spaceId] of [porch, nook].entries()) {
      const packets = adaSees[index]?.packets ?? [];
      // The packets are genuine: Ada, who still sees the space, opens them with the keys she is handed now.
      const adaOpener = new PacketOpener(spaceId);
      await adaOpener.setKeys(await ada.api.sync.keys({ spaceId }));
      const carried = async () => {
        const opened = await Promise.all(packets.map((packet) => openAndDecode(adaOpener, packet)));
        return opened.flatMap((result) => (result.ok ? result.packet.events : []));
      };
      const written = after[index]?.id;
      await expect
        .poll(
          async () => (await carried()).some((event) => 'entity' in event && event.entity.id === written),
          {
            timeout: 20_000,
          },
        )
        .toBe(true);
      const carolOpener = new PacketOpener(spaceId);
      await carolOpener.setKeys((held[index] as (typeof held)[number]).keys);
      const received = index === 0 ? [...packets, ...carolSees.packets] : packets;
      for (const packet of received) {
        expect(new TextDecoder().decode(packet)).not.toContain('Behind the door');
        expect(await openAndDecode(carolOpener, packet), spaceId).toMatchObject({
          ok: false,
          reason: 'unknown-space-key',
        });
      }
      await expect(carol.api.sync.keys({ spaceId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(carol.api.sync.snapshot({ spaceId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(carol.api.livekit.getJoinToken({ spaceId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('a snapshot carries the authors located elsewhere only when anyone may see where they are', async () => {
    const forum = (await ada.api.being.create({ name: 'Forum', type: 'space' })).id;
    const study = (await ada.api.being.create({ name: 'Study', type: 'space' })).id;
    const office = (await ada.api.being.create({ name: 'Office', type: 'space', visibility: 'private' })).id;
    const annex = (await ada.api.being.create({ name: 'Annex', type: 'space', locationId: office })).id;
    const bots = await Promise.all(
      [study, office, annex].map((locationId) =>
        ada.api.being.create({ name: `Bot in ${locationId}`, type: 'bot', locationId }),
      ),
    );
    await carol.api.intention.createUtterance({ spaceId: forum, content: 'hello' });
    for (const bot of bots) {
      await runtime.domain.intentions.create({
        ownerId: bot.id,
        spaceId: forum,
        content: 'hi',
        state: 'complete',
      });
    }
    const [inStudy, inOffice, inAnnex] = bots.map((bot) => bot.id);
    for (const api of [await anonymousApi(runtime), carol.api]) {
      const snapshot = await api.sync.snapshot({ spaceId: forum });
      const ids = snapshot.beings.map((being) => being.id);
      expect(ids).toEqual(expect.arrayContaining([carol.actor.beingId, inStudy]));
      expect(ids).not.toContain(inOffice);
      expect(ids).not.toContain(inAnnex);
      expect(JSON.stringify(snapshot)).not.toMatch(/Office|Annex|@office|@annex/);
    }
  });

  it('creating a being with a private being’s id reveals nothing: derived private ids cannot be guessed', async () => {
    const secret = await ada.api.being.create({ name: 'Skunkworks', type: 'space', visibility: 'private' });
    expect(secret.id).toMatch(/^@skunkworks-[0-9a-f]{12}$/);
    const inside = await ada.api.being.create({ name: 'Blueprint', type: 'document', locationId: secret.id });
    expect(inside.id).toMatch(/^@blueprint-[0-9a-f]{12}$/);
    // A public space inside the private one is as private, and so is what it holds.
    const hall = await ada.api.being.create({ name: 'Drawing hall', type: 'space', locationId: secret.id });
    expect(hall.id).toMatch(/^@drawing-hall-[0-9a-f]{12}$/);
    const plan = await ada.api.being.create({ name: 'Floor plan', type: 'document', locationId: hall.id });
    expect(plan.id).toMatch(/^@floor-plan-[0-9a-f]{12}$/);
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
