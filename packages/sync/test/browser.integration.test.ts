import { createCipheriv, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { launchChromium } from '@rhizom/testing';
import { AccessToken, DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_TOPIC } from '../src/packet.ts';
import { intention } from './support/fixtures.ts';
import { API_KEY, API_SECRET, type Harness, startHarness } from './support/harness.ts';

type ClientState = {
  status: string;
  seq: number;
  intentions: { id: string; content: string }[];
  presence: { beingId: string; connections: number; self: boolean }[];
  stats: {
    packets: number;
    ignoredPackets: number;
    rejectedPackets?: number;
    keyFetches?: number;
    catchUps: number;
    resets: number;
    connects: number;
  };
  seqLog: number[];
  identity: string | null;
};

/**
 * The client half in headless Chromium: livekit-client + SpaceConnection, as the app runs them, against
 * the real SFU and the real sync server.
 */
let harness: Harness;
let browser: Browser;
const contexts: BrowserContext[] = [];
const poll = { timeout: 30_000, interval: 100 };

beforeAll(async () => {
  [harness, browser] = await Promise.all([startHarness(), launchChromium()]);
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await harness?.close();
});

/** One browser tab of one person (each person gets their own browser context, like another machine). */
async function openTab(space: string, beingId: string, context?: BrowserContext): Promise<Page> {
  const ctx = context ?? (await browser.newContext());
  if (!context) contexts.push(ctx);
  const page = await ctx.newPage();
  await page.goto(harness.url);
  await page.evaluate(
    (args) =>
      (window as never as { rhizom: { start(s: string, b: string): void } }).rhizom.start(
        args.space,
        args.beingId,
      ),
    { space, beingId },
  );
  await expect.poll(() => state(page).then((s) => s.status), poll).toBe('live');
  return page;
}

const state = (page: Page): Promise<ClientState> =>
  page.evaluate(() => (window as never as { rhizom: { state(): ClientState } }).rhizom.state());

const contents = (s: ClientState) => s.intentions.map((row) => row.content);

describe('sync client in Chromium', () => {
  it('two people see each other live, presence shows both, and a second tab does not drop the first', async () => {
    const ada = await openTab('@room', '@ada');
    const bob = await openTab('@room', '@bob');
    await harness.write('@room', 'a1', 'hi from ada');
    await harness.write('@room', 'b1', 'hi from bob');
    for (const page of [ada, bob]) {
      await expect.poll(() => state(page).then(contents), poll).toEqual(['hi from ada', 'hi from bob']);
    }
    await expect
      .poll(() => state(ada).then((s) => s.presence.map((p) => [p.beingId, p.connections])), poll)
      .toEqual([
        ['@ada', 1],
        ['@bob', 1],
      ]);

    const adaSecondTab = await openTab('@room', '@ada', contexts[0]);
    await expect
      .poll(() => state(bob).then((s) => s.presence.map((p) => [p.beingId, p.connections])), poll)
      .toEqual([
        ['@ada', 2],
        ['@bob', 1],
      ]);
    // The first tab is still connected (unique identities: LiveKit did not evict it) and still live.
    await harness.write('@room', 'a2', 'still here');
    for (const page of [ada, adaSecondTab, bob]) {
      await expect.poll(() => state(page).then((s) => s.intentions.length), poll).toBe(3);
      expect((await state(page)).status).toBe('live');
    }
    const identities = await Promise.all([ada, adaSecondTab].map((p) => state(p).then((s) => s.identity)));
    expect(identities[0]).not.toBe(identities[1]);
    // Presence as the server saw it through the SFU's webhooks: one entry per being.
    await expect
      .poll(
        () => harness.sync.presence.list('@room').then((list) => list.map((e) => [e.beingId, e.connections])),
        poll,
      )
      .toEqual([
        ['@ada', 2],
        ['@bob', 1],
      ]);
  });

  it('a client whose room is cut catches up every missed event, in order, with no duplicates', async () => {
    const page = await openTab('@cut', '@ada');
    await harness.write('@cut', 'c01', 'event 1');
    await expect.poll(() => state(page).then((s) => s.seq), poll).toBe(1);

    // Cut 1: the client's own full reconnect (new signal + peer connection), writes while it is away.
    const cut = page.evaluate(() =>
      (window as never as { rhizom: { cut(s: string): Promise<void> } }).rhizom.cut('full-reconnect'),
    );
    for (let i = 2; i <= 6; i++) await harness.write('@cut', `c0${i}`, `event ${i}`);
    await cut;
    await expect.poll(() => state(page).then((s) => s.seq), poll).toBe(6);

    // Cut 2: the SFU restarts; writes land while it is down (the broadcaster cannot send them at all).
    await harness.stopSfu();
    await expect.poll(() => state(page).then((s) => s.status), poll).not.toBe('live');
    for (let i = 7; i <= 9; i++) await harness.write('@cut', `c0${i}`, `event ${i}`);
    await harness.restartSfu();
    await expect.poll(() => state(page).then((s) => s.status), poll).toBe('live');
    await harness.write('@cut', 'c10', 'event 10');
    await expect.poll(() => state(page).then((s) => s.seq), poll).toBe(10);

    // Cut 3: the server removes the participant; LiveKit does not reconnect that, our client does, with
    // a fresh token (a new identity) and a catch-up.
    const removed = (await state(page)).identity ?? '';
    await new RoomServiceClient(harness.sfu.url, API_KEY, API_SECRET).removeParticipant('@cut', removed);
    for (let i = 11; i <= 12; i++) await harness.write('@cut', `c${i}`, `event ${i}`);
    await expect.poll(() => state(page).then((s) => s.seq), poll).toBe(12);
    expect((await state(page)).identity).not.toBe(removed);

    const final = await state(page);
    expect(contents(final)).toEqual(Array.from({ length: 12 }, (_, i) => `event ${i + 1}`));
    // Every position the store reached, in order: strictly increasing means nothing applied twice.
    expect(final.seqLog).toEqual([...final.seqLog].sort((a, b) => a - b));
    expect(new Set(final.seqLog).size).toBe(final.seqLog.length);
    expect(final.stats.catchUps).toBeGreaterThanOrEqual(2);
    expect(final.stats.connects).toBeGreaterThanOrEqual(2);
  });

  it('a page coming back (online, visible) catches up; going offline shows offline', async () => {
    const page = await openTab('@resume', '@ada');
    await expect.poll(() => state(page).then((s) => s.stats.catchUps), poll).toBeGreaterThanOrEqual(1);
    const before = (await state(page)).stats.catchUps;
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await expect.poll(() => state(page).then((s) => s.status), poll).toBe('offline');
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => state(page).then((s) => s.stats.catchUps), poll).toBe(before + 1);
    expect((await state(page)).status).toBe('live');
    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect.poll(() => state(page).then((s) => s.stats.catchUps), poll).toBe(before + 2);
  });

  it('a page going away leaves the room without joining again; restored from the back/forward cache, it rejoins', async () => {
    const page = await openTab('@away', '@ada');
    await expect.poll(() => state(page).then((s) => s.status), poll).toBe('live');
    const asked = harness.tokenRequests('@ada');
    // livekit-client leaves the room by itself on pagehide (as on beforeunload and freeze).
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await expect.poll(() => state(page).then((s) => s.identity), poll).toBeNull();
    await expect.poll(() => harness.sync.presence.list('@away').then((list) => list.length), poll).toBe(0);
    // Longer than the first reconnect wait (100 ms): a reconnect would have asked for a token by now.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(harness.tokenRequests('@ada')).toBe(asked);
    expect((await state(page)).status).toBe('reconnecting');

    await harness.write('@away', 'w1', 'while away');
    await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
    await expect.poll(() => state(page).then((s) => s.status === 'live' && s.seq === 1), poll).toBe(true);
    expect((await state(page)).stats.connects).toBe(2);
  });

  it('ignores a sync packet from a participant even when the SFU lets it through', async () => {
    const page = await openTab('@forge', '@ada');
    await harness.write('@forge', 'f1', 'real');
    await expect.poll(() => state(page).then((s) => s.seq), poll).toBe(1);
    // Someone holding a publish grant (say a misconfigured bot token) sends a perfectly formed packet.
    const token = new AccessToken(API_KEY, API_SECRET, { identity: 'forger' });
    token.addGrant({ roomJoin: true, room: '@forge', canPublishData: true });
    const forger = new Room();
    await forger.connect(harness.sfu.url, await token.toJwt(), { autoSubscribe: true, dynacast: false });
    const forged = {
      v: 1,
      space: '@forge',
      epoch: (await harness.sync.snapshot('@forge')).epoch,
      events: [
        {
          space: '@forge',
          epoch: (await harness.sync.snapshot('@forge')).epoch,
          seq: 2,
          at: new Date().toISOString(),
          type: 'intention.remove',
          entity: { id: 'f1' },
        },
      ],
      refs: [],
    };
    await forger.localParticipant?.publishData(new TextEncoder().encode(JSON.stringify(forged)), {
      reliable: true,
      topic: SYNC_TOPIC,
    });
    await expect.poll(() => state(page).then((s) => s.stats.ignoredPackets), poll).toBe(1);
    const after = await state(page);
    expect(after.seq).toBe(1);
    expect(contents(after)).toEqual(['real']);
    await forger.disconnect();
  });

  it('a person evicted from a space stops: status denied, nothing more received, no retry loop', async () => {
    const ada = await openTab('@shrinking', '@ada');
    const bob = await openTab('@shrinking', '@bob');
    harness.deny('@shrinking', '@bob');
    const removed = await harness.sync.evict(
      '@shrinking',
      async ({ beingId }) => !harness.isDenied('@shrinking', beingId),
    );
    expect(removed).toHaveLength(1);
    // livekit-client is told it was removed; the reconnect that follows is refused, and the client stops.
    await expect.poll(() => state(bob).then((s) => s.status), poll).toBe('denied');
    const asked = harness.tokenRequests('@bob');

    await harness.write('@shrinking', 'later', 'after bob lost sight');
    await expect.poll(() => state(ada).then(contents), poll).toEqual(['after bob lost sight']);
    // Longer than the client's longest retry delay (1 s here): a retry loop would have asked again.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const after = await state(bob);
    expect(contents(after)).toEqual([]);
    expect(after.status).toBe('denied');
    expect(after.identity).toBeNull();
    expect(harness.tokenRequests('@bob')).toBe(asked);
  });

  it('a holder of the leaked API key cannot forge, replay or jam: no tab shows or loses anything', async () => {
    const page = await openTab('@leaked', '@ada');
    await harness.write('@leaked', 'l1', 'real one');
    await expect.poll(() => state(page).then((s) => s.seq), poll).toBe(1);

    // The attacker holds the deployment's API key and secret: it signs itself a hidden token with a publish
    // grant, listens to the room, and calls RoomService.SendData, which reaches tabs with no sender at all.
    const token = new AccessToken(API_KEY, API_SECRET, { identity: 'leak' });
    token.addGrant({
      roomJoin: true,
      room: '@leaked',
      canSubscribe: true,
      canPublishData: true,
      hidden: true,
    });
    const spy = new Room();
    const captured: Uint8Array[] = [];
    spy.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      if (topic === SYNC_TOPIC && !participant) captured.push(new Uint8Array(payload));
    });
    await spy.connect(harness.sfu.url, await token.toJwt(), { autoSubscribe: true, dynacast: false });
    await harness.write('@leaked', 'l2', 'real two');
    await expect.poll(() => captured.length, poll).toBeGreaterThan(0);
    await expect.poll(() => state(page).then((s) => s.seq), poll).toBe(2);
    const before = await state(page);
    const received = (s: ClientState) => s.stats.packets + s.stats.ignoredPackets;
    const rooms = new RoomServiceClient(harness.sfu.url, API_KEY, API_SECRET);
    const sendAsServer = async (payloads: Uint8Array[]) => {
      const start = received(await state(page));
      for (const payload of payloads) {
        await rooms.sendData('@leaked', payload, DataPacket_Kind.RELIABLE, { topic: SYNC_TOPIC });
      }
      await expect
        .poll(() => state(page).then(received), poll)
        .toBeGreaterThanOrEqual(start + payloads.length);
    };

    // Protocol 1 as the app used to send it: a forged event taking the next seq, and garbage.
    const epoch = (await harness.sync.snapshot('@leaked')).epoch;
    const forgedEvent = {
      space: '@leaked',
      epoch,
      seq: 3,
      at: new Date().toISOString(),
      type: 'intention.upsert',
      entity: intention('@leaked', 'l1', 'forged: ada never said this'),
    };
    const plain = (v: number) =>
      new TextEncoder().encode(
        JSON.stringify({ v, space: '@leaked', epoch, events: [forgedEvent], refs: [] }),
      );
    await sendAsServer([plain(1), plain(2), randomBytes(300), new Uint8Array([2, 0, 5, 1])]);
    // And from its hidden participant (LiveKit stamps those packets with an empty identity).
    await spy.localParticipant?.publishData(plain(1), { reliable: true, topic: SYNC_TOPIC });
    // Replays of the real packets it captured.
    await sendAsServer(captured);
    let after = await state(page);
    expect(after.seq).toBe(2);
    expect(contents(after)).toEqual(['real one', 'real two']);

    // Version 2 frames: sealed with the space key (any member holds it) but signed with the attacker's own
    // key, under the app's key id and under ids of its own (each may cost one rate-limited key fetch).
    const keys = await harness.sync.keys('@leaked');
    const attacker = generateKeyPairSync('ed25519').privateKey;
    const frame = (signingId: string) => {
      const iv = randomBytes(12);
      const head = new TextEncoder().encode(
        JSON.stringify({
          space: '@leaked',
          epoch,
          sig: signingId,
          key: keys.space.id,
          iv: iv.toString('base64'),
        }),
      );
      const prefix = Buffer.concat([Buffer.from([2, head.length >> 8, head.length & 0xff]), head]);
      const cipher = createCipheriv('aes-256-gcm', Buffer.from(keys.space.secret, 'base64'), iv);
      cipher.setAAD(prefix);
      const signed = Buffer.concat([prefix, cipher.update(plain(2)), cipher.final(), cipher.getAuthTag()]);
      return new Uint8Array(Buffer.concat([signed, sign(null, signed, attacker)]));
    };
    const realSigningId = keys.signing[0]?.id ?? '';
    await sendAsServer([
      frame(realSigningId),
      ...Array.from({ length: 20 }, (_, i) => frame(`sk_attacker_${i}`)),
    ]);
    after = await state(page);
    expect(after.seq).toBe(2);
    expect(contents(after)).toEqual(['real one', 'real two']);
    expect(after.stats.rejectedPackets).toBeGreaterThanOrEqual(21 + 4);
    // 21 unknown or forged key ids, and the client asked for keys at most once per interval, not once each.
    expect(after.stats.keyFetches).toBeLessThanOrEqual(2);
    expect(before.stats.resets).toBe(after.stats.resets);

    // The genuine next event still applies: nothing took its seq.
    await harness.write('@leaked', 'l3', 'real three');
    await expect.poll(() => state(page).then(contents), poll).toEqual(['real one', 'real two', 'real three']);
    await spy.disconnect();
    // Three rounds of attack, each waited for until the tab has seen every packet: longer than one case.
  }, 120_000);
});
