import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DisconnectReason, Room, RoomEvent } from '@livekit/rtc-node';
import { WebhookReceiver } from 'livekit-server-sdk';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type SfuServer, startSfu } from '../src/start.ts';
import { API_KEY, API_SECRET, joinToken, KEYS, roomService } from './support/tokens.ts';

const logger = pino({ level: 'warn' });
const poll = { timeout: 15_000, interval: 50 };
const connected: Room[] = [];

afterEach(async () => {
  for (const room of connected.splice(0)) await room.disconnect();
});

async function connect(sfu: SfuServer, roomName: string, identity: string, grant = {}): Promise<Room> {
  const room = new Room();
  await room.connect(sfu.url, await joinToken(roomName, identity, grant), {
    autoSubscribe: true,
    dynacast: false,
  });
  connected.push(room);
  return room;
}

function disconnectReason(room: Room): Promise<DisconnectReason> {
  return new Promise((resolve) => room.once(RoomEvent.Disconnected, resolve));
}

describe('rooms', () => {
  let sfu: SfuServer;
  beforeAll(async () => {
    sfu = await startSfu({ port: 0, keys: KEYS, logger });
  });
  afterAll(() => sfu.close());

  it('replaces a participant that joins again with the same identity', async () => {
    const first = await connect(sfu, 'dup', 'same');
    const firstSid = first.localParticipant?.sid;
    const reason = disconnectReason(first);
    const second = await connect(sfu, 'dup', 'same');
    expect(await reason).toBe(DisconnectReason.DUPLICATE_IDENTITY);
    const listed = await roomService(sfu.url).listParticipants('dup');
    expect(listed.map((p) => p.sid)).toEqual([second.localParticipant?.sid]);
    expect(second.localParticipant?.sid).not.toBe(firstSid);
  });

  it('refuses a join beyond max_participants', async () => {
    await roomService(sfu.url).createRoom({ name: 'small', maxParticipants: 1 });
    await connect(sfu, 'small', 'one');
    await expect(connect(sfu, 'small', 'two')).rejects.toThrow();
    expect((await roomService(sfu.url).listParticipants('small')).map((p) => p.identity)).toEqual(['one']);
  });

  it('keeps hidden participants out of lists and sends their data anonymously', async () => {
    const visible = await connect(sfu, 'hidden', 'visible');
    const received: Array<string | null> = [];
    visible.on(RoomEvent.DataReceived, (_payload, participant) =>
      received.push(participant?.identity ?? null),
    );
    const ghost = await connect(sfu, 'hidden', 'ghost', { hidden: true });
    expect([...ghost.remoteParticipants.keys()]).toEqual(['visible']);
    await ghost.localParticipant?.publishData(new TextEncoder().encode('boo'), { reliable: true });
    await expect.poll(() => received, poll).toEqual([null]);
    expect([...visible.remoteParticipants.keys()]).toEqual([]);
  });

  it('tells everyone about a metadata change made with canUpdateOwnMetadata', async () => {
    const author = await connect(sfu, 'meta', 'author', { canUpdateOwnMetadata: true });
    const reader = await connect(sfu, 'meta', 'reader');
    const seen: string[] = [];
    reader.on(RoomEvent.ParticipantMetadataChanged, (_old, participant) =>
      seen.push(participant.metadata ?? ''),
    );
    await expect.poll(() => [...author.remoteParticipants.keys()], poll).toEqual(['reader']);
    await author.localParticipant?.updateMetadata('{"status":"writing"}');
    await expect.poll(() => seen, poll).toEqual(['{"status":"writing"}']);
    expect((await roomService(sfu.url).getParticipant('meta', 'author')).metadata).toBe(
      '{"status":"writing"}',
    );
  });

  it('closes a created room nobody joins after its empty_timeout', async () => {
    await roomService(sfu.url).createRoom({ name: 'never-joined', emptyTimeout: 1 });
    expect((await roomService(sfu.url).listRooms(['never-joined'])).map((r) => r.name)).toEqual([
      'never-joined',
    ]);
    await expect
      .poll(async () => (await roomService(sfu.url).listRooms(['never-joined'])).length, poll)
      .toBe(0);
  });

  it('removes a participant through the API with PARTICIPANT_REMOVED', async () => {
    const removed = await connect(sfu, 'kick', 'removed');
    const reason = disconnectReason(removed);
    await roomService(sfu.url).removeParticipant('kick', 'removed');
    expect(await reason).toBe(DisconnectReason.PARTICIPANT_REMOVED);
  });
});

describe('lifecycle', () => {
  let receiver: Server;
  let hookUrl: string;
  const events: Array<{ event: string; room?: string; identity?: string }> = [];

  beforeAll(async () => {
    const verifier = new WebhookReceiver(API_KEY, API_SECRET);
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        try {
          const event = await verifier.receive(Buffer.concat(chunks).toString(), req.headers.authorization);
          events.push({ event: event.event, room: event.room?.name, identity: event.participant?.identity });
          res.writeHead(200).end();
        } catch (error) {
          events.push({ event: `rejected: ${(error as Error).message}` });
          res.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it('fires signed webhooks through a room life and closes the room after departure_timeout', async () => {
    const sfu = await startSfu({
      port: 0,
      keys: KEYS,
      logger,
      webhook: { url: hookUrl },
      departureTimeoutSeconds: 1,
    });
    try {
      const room = await connect(sfu, 'life', 'visitor');
      await expect
        .poll(() => events.map((e) => e.event), poll)
        .toEqual(['room_started', 'participant_joined']);
      connected.splice(connected.indexOf(room), 1);
      await room.disconnect();
      await expect
        .poll(() => events, poll)
        .toEqual([
          { event: 'room_started', room: 'life', identity: undefined },
          { event: 'participant_joined', room: 'life', identity: 'visitor' },
          { event: 'participant_left', room: 'life', identity: 'visitor' },
          { event: 'room_finished', room: 'life', identity: undefined },
        ]);
      expect(await roomService(sfu.url).listRooms()).toEqual([]);
    } finally {
      await sfu.close();
    }
  });

  it('on shutdown gives participants leave(SERVER_SHUTDOWN) and closes their rooms', async () => {
    const sfu = await startSfu({ port: 0, keys: KEYS, logger });
    const room = await connect(sfu, 'shutdown', 'stayer');
    const reason = disconnectReason(room);
    await sfu.close();
    expect(await reason).toBe(DisconnectReason.SERVER_SHUTDOWN);
  });
});
