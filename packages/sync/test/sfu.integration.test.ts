import { DisconnectReason, Room, RoomEvent } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAndDecode } from '../src/client/open-packet.ts';
import { SpaceStore } from '../src/client/store.ts';
import { SYNC_TOPIC } from '../src/packet.ts';
import { PacketOpener } from '../src/seal/packet-opener.ts';
import { syncPresence } from '../src/server/schema.ts';
import { startSyncServer } from '../src/server/start.ts';
import { outboxProjection } from './support/database.ts';
import { quietLogger } from './support/fixtures.ts';
import { startFlakyRoomService } from './support/flaky-room-service.ts';
import { API_KEY, API_SECRET, type Harness, startHarness } from './support/harness.ts';

/**
 * The server half against the real SFU, with @livekit/rtc-node as the receiving client: what the
 * broadcaster sends is what a client gets, an SFU outage loses nothing, and a participant cannot inject
 * `sync` packets.
 */
let harness: Harness;
const rooms: Room[] = [];
const poll = { timeout: 20_000, interval: 50 };

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  for (const room of rooms) await room.disconnect().catch(() => {});
  await harness?.close();
});

/** A client as the browser runs it, minus React: join token from the server, keys from the snapshot, store fed by opened packets. */
async function joinAsClient(space: string, beingId: string) {
  const store = new SpaceStore(space);
  const opener = new PacketOpener(space);
  const fromParticipants: string[] = [];
  const rejected: string[] = [];
  let inbox = Promise.resolve();
  const room = new Room();
  room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
    if (topic !== SYNC_TOPIC) return;
    if (participant) {
      fromParticipants.push(participant.identity);
      return;
    }
    inbox = inbox.then(async () => {
      const decoded = await openAndDecode(opener, payload);
      if (decoded.ok) store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
      else rejected.push('reason' in decoded ? decoded.reason : decoded.error);
    });
  });
  const { url, token } = await harness.sync.joinToken({ space, beingId, name: beingId });
  await room.connect(url, token, { autoSubscribe: true, dynacast: false });
  rooms.push(room);
  const snapshot = await harness.sync.snapshot(space);
  await opener.setKeys(snapshot.keys);
  store.load(snapshot);
  const catchUp = async () => {
    const { epoch, seq } = store.position;
    if (!epoch) return;
    const answer = await harness.sync.since({ space, epoch, afterSeq: seq });
    await opener.setKeys(answer.keys);
    store.applyCatchUp(answer);
  };
  await catchUp();
  return { room, store, fromParticipants, rejected, catchUp, token };
}

const contents = (store: SpaceStore) => store.state().intentions.map((row) => row.content);

describe('sync over the real SFU (rtc-node client)', () => {
  it('delivers committed writes to a joined client, coalesced, in order', async () => {
    const client = await joinAsClient('@live', '@ada');
    for (let i = 1; i <= 25; i++)
      await harness.write('@live', `m${String(i).padStart(2, '0')}`, `hello ${i}`);
    await expect.poll(() => client.store.position.seq, poll).toBe(25);
    expect(contents(client.store)).toEqual(Array.from({ length: 25 }, (_, i) => `hello ${i + 1}`));
    expect(harness.sync.broadcaster?.stats.packets).toBeLessThan(25);
  });

  it('an SFU outage loses nothing: the broadcaster retries and the reconnecting client catches up', async () => {
    const before = await joinAsClient('@outage', '@ada');
    await harness.write('@outage', 'o1', 'before the outage');
    await expect.poll(() => before.store.position.seq, poll).toBe(1);
    const failuresBefore = harness.sync.broadcaster?.stats.sendFailures ?? 0;

    await harness.stopSfu();
    for (let i = 2; i <= 6; i++) await harness.write('@outage', `o${i}`, `during the outage ${i}`);
    await expect
      .poll(() => harness.sync.broadcaster?.stats.sendFailures ?? 0, poll)
      .toBeGreaterThan(failuresBefore);
    await harness.restartSfu();

    // The old room died with the SFU; a fresh connection (as the client's reconnect makes) plus catch-up.
    const after = await joinAsClient('@outage', '@ada');
    await harness.write('@outage', 'o7', 'after the outage');
    await expect.poll(() => after.store.position.seq, poll).toBe(7);
    expect(contents(after.store)).toEqual([
      'before the outage',
      ...[2, 3, 4, 5, 6].map((i) => `during the outage ${i}`),
      'after the outage',
    ]);
    await expect
      .poll(async () => {
        await harness.sync.broadcaster?.sweep();
        const [cursor] = await harness.db.query<{ sent: number }>(
          `select sent_seq as sent from sync_cursors where space_id = '@outage'`,
        );
        return Number(cursor?.sent);
      }, poll)
      .toBe(7);
  });

  it('the SFU drops a sync packet from a participant without canPublishData', async () => {
    const listener = await joinAsClient('@guarded', '@listener');
    const intruder = await joinAsClient('@guarded', '@intruder');
    await intruder.room.localParticipant?.publishData(new TextEncoder().encode('{"forged":true}'), {
      reliable: true,
      topic: SYNC_TOPIC,
    });
    // Control: the same packet from a participant that does hold the grant does arrive, so the drop
    // above is the SFU enforcing the grant, not a lost packet.
    const granted = new AccessToken(API_KEY, API_SECRET, { identity: 'granted' });
    granted.addGrant({ roomJoin: true, room: '@guarded', canPublishData: true });
    const control = new Room();
    rooms.push(control);
    await control.connect(harness.sfu.url, await granted.toJwt(), { autoSubscribe: true, dynacast: false });
    await control.localParticipant?.publishData(new TextEncoder().encode('{"forged":true}'), {
      reliable: true,
      topic: SYNC_TOPIC,
    });
    await expect.poll(() => listener.fromParticipants, poll).toEqual(['granted']);
    expect(listener.store.position.seq).toBe(0);
  });

  it('reconciles presence with the rooms: connections whose webhooks never came are dropped, live ones stay', async () => {
    await joinAsClient('@present', '@ada');
    const beings = (space: string) =>
      harness.sync.presence
        .list(space)
        .then((list) => list.map((entry) => [entry.beingId, entry.connections]));
    await expect.poll(() => beings('@present'), poll).toEqual([['@ada', 1]]);
    // What lost webhooks leave behind (the SFU or the app was down): a connection gone from a live room,
    // and one in a room that no longer exists.
    const earlier = new Date(Date.now() - 60_000);
    await harness.db.db.insert(syncPresence).values([
      { spaceId: '@present', identity: '@bob#gone', beingId: '@bob', joinedAt: earlier },
      { spaceId: '@closed', identity: '@cy#1', beingId: '@cy', joinedAt: earlier },
    ]);
    expect((await beings('@present')).length).toBe(2);

    // At least these two (other tests' rooms may have left their own ghosts, e.g. across the SFU restart).
    expect(await harness.sync.reconcilePresence()).toBeGreaterThanOrEqual(2);
    expect(await beings('@present')).toEqual([['@ada', 1]]);
    expect(await beings('@closed')).toEqual([]);
    await expect(harness.sync.reconcilePresence()).resolves.toBe(0);
  });

  it('evicts the connections that may no longer see a space; the others keep receiving', async () => {
    const ada = await joinAsClient('@narrowed', '@ada');
    const bob = await joinAsClient('@narrowed', '@bob');
    const bobLeft = new Promise<DisconnectReason | undefined>((resolve) =>
      bob.room.once(RoomEvent.Disconnected, resolve),
    );
    const asked: Array<string | null> = [];
    const removed = await harness.sync.evict('@narrowed', async ({ beingId }) => {
      asked.push(beingId);
      return beingId === '@ada';
    });
    expect(asked.sort()).toEqual(['@ada', '@bob']);
    expect(removed).toEqual([bob.room.localParticipant?.identity]);
    await expect(bobLeft).resolves.toBe(DisconnectReason.PARTICIPANT_REMOVED);

    await harness.write('@narrowed', 'after', 'only for those who may see it');
    await expect.poll(() => contents(ada.store), poll).toEqual(['only for those who may see it']);
    expect(contents(bob.store)).toEqual([]);
    // A room nobody is in (or that never existed) has nobody to evict.
    await expect(harness.sync.evict('@empty-room', async () => false)).resolves.toEqual([]);
  });

  /** A second sync server on the same outbox whose RoomService calls pass a hop that refuses RemoveParticipant. */
  async function syncBehindFlakyRoomService(refuse: number, attempts?: number) {
    const flaky = await startFlakyRoomService(harness.sfu.url, 'RemoveParticipant', refuse);
    const sync = startSyncServer({
      db: harness.db.db,
      logger: quietLogger,
      livekit: { url: flaky.url, apiKey: API_KEY, apiSecret: API_SECRET },
      loadSpace: outboxProjection,
      evictRetry: { attempts, initialMs: 20, maxMs: 50 },
    });
    return {
      sync,
      refused: flaky.refused,
      close: async () => {
        await sync.close();
        await flaky.close();
      },
    };
  }

  it('retries an eviction LiveKit refused until the connection is gone', async () => {
    const cy = await joinAsClient('@flaky', '@cy');
    const cyLeft = new Promise<DisconnectReason | undefined>((resolve) =>
      cy.room.once(RoomEvent.Disconnected, resolve),
    );
    const flaky = await syncBehindFlakyRoomService(2);
    try {
      await expect(flaky.sync.evict('@flaky', async () => false)).resolves.toEqual([
        cy.room.localParticipant?.identity,
      ]);
      expect(flaky.refused()).toBe(2);
      await expect(cyLeft).resolves.toBe(DisconnectReason.PARTICIPANT_REMOVED);
    } finally {
      await flaky.close();
    }
  });

  it('gives up on an eviction after its last attempt and says why', async () => {
    await joinAsClient('@refused', '@dee');
    const flaky = await syncBehindFlakyRoomService(10, 3);
    try {
      await expect(flaky.sync.evict('@refused', async () => false)).rejects.toThrow(/bad moment/);
      expect(flaky.refused()).toBe(3);
    } finally {
      await flaky.close();
    }
  });
});
