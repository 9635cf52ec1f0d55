import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CreateRoomRequest,
  type DataPacket,
  DataPacket_Kind,
  ListRoomsRequest,
  ListRoomsResponse,
  ParticipantInfo,
  ParticipantPermission,
  Room,
} from '@livekit/protocol';
import { AccessToken, RoomServiceClient, type VideoGrant } from 'livekit-server-sdk';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/limits.ts';
import type { RoomServiceBackend } from '../src/ports.ts';
import { createTwirpHandler } from '../src/twirp/handler.ts';
import { twirpFailure } from './support/twirp-error.ts';

const KEY = 'devkey';
const SECRET = 'secret-secret-secret-secret-secret';

/** A small honest in-memory RoomServiceBackend: the handler's contract, without the SFU's transports. */
class MemoryBackend implements RoomServiceBackend {
  readonly limits = DEFAULT_LIMITS;
  readonly rooms = new Map<string, { room: Room; participants: Map<string, ParticipantInfo> }>();
  readonly sent: Array<{ room: string; packet: DataPacket }> = [];
  readonly removed: string[] = [];

  createRoom(request: CreateRoomRequest): Room {
    const existing = this.rooms.get(request.name);
    if (existing) return existing.room;
    const room = new Room({
      sid: `RM_${request.name}`,
      name: request.name,
      metadata: request.metadata,
      emptyTimeout: request.emptyTimeout,
      maxParticipants: request.maxParticipants,
    });
    this.rooms.set(request.name, { room, participants: new Map() });
    return room;
  }
  listRooms(names: readonly string[]): Room[] {
    return [...this.rooms.values()]
      .map((r) => r.room)
      .filter((r) => names.length === 0 || names.includes(r.name));
  }
  deleteRoom(name: string): boolean {
    return this.rooms.delete(name);
  }
  listParticipants(room: string): ParticipantInfo[] | undefined {
    const entry = this.rooms.get(room);
    return entry ? [...entry.participants.values()] : undefined;
  }
  getParticipant(room: string, identity: string): ParticipantInfo | undefined {
    return this.rooms.get(room)?.participants.get(identity);
  }
  removeParticipant(room: string, identity: string): boolean {
    const removed = this.rooms.get(room)?.participants.delete(identity) ?? false;
    if (removed) this.removed.push(identity);
    return removed;
  }
  updateParticipant(
    room: string,
    identity: string,
    update: Parameters<RoomServiceBackend['updateParticipant']>[2],
  ): ParticipantInfo | undefined {
    const p = this.getParticipant(room, identity);
    if (!p) return undefined;
    if (update.metadata) p.metadata = update.metadata;
    if (update.name) p.name = update.name;
    for (const [k, v] of Object.entries(update.attributes ?? {})) {
      if (v === '') delete p.attributes[k];
      else p.attributes[k] = v;
    }
    if (update.permission) p.permission = update.permission;
    p.version += 1;
    return p;
  }
  updateRoomMetadata(room: string, metadata: string): Room | undefined {
    const entry = this.rooms.get(room);
    if (!entry) return undefined;
    entry.room.metadata = metadata;
    return entry.room;
  }
  sendData(room: string, packet: DataPacket): boolean {
    if (!this.rooms.has(room)) return false;
    this.sent.push({ room, packet });
    return true;
  }
  join(room: string, identity: string): void {
    this.rooms.get(room)?.participants.set(
      identity,
      new ParticipantInfo({
        sid: `PA_${identity}`,
        identity,
        attributes: { keep: 'yes', drop: 'soon' },
        permission: new ParticipantPermission({ canPublishData: true, canSubscribe: true }),
      }),
    );
  }
}

let server: Server;
let url: string;
let backend: MemoryBackend;
let client: RoomServiceClient;

beforeAll(async () => {
  const handler = createTwirpHandler({
    backend: {
      limits: DEFAULT_LIMITS,
      // Delegate so each test can start from a fresh backend.
      createRoom: (r) => backend.createRoom(r),
      listRooms: (n) => backend.listRooms(n),
      deleteRoom: (n) => backend.deleteRoom(n),
      listParticipants: (r) => backend.listParticipants(r),
      getParticipant: (r, i) => backend.getParticipant(r, i),
      removeParticipant: (r, i) => backend.removeParticipant(r, i),
      updateParticipant: (r, i, u) => backend.updateParticipant(r, i, u),
      updateRoomMetadata: (r, m) => backend.updateRoomMetadata(r, m),
      sendData: (r, p) => backend.sendData(r, p),
    },
    keys: { [KEY]: SECRET },
    logger: pino({ level: 'silent' }),
    maxBodyBytes: 256 * 1024,
  });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new RoomServiceClient(url, KEY, SECRET);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  backend = new MemoryBackend();
});

async function tokenFor(grant: VideoGrant, secret = SECRET): Promise<string> {
  const at = new AccessToken(KEY, secret, {
    ttl: '1m',
    identity: grant.roomJoin ? 'a-participant' : undefined,
  });
  at.addGrant(grant);
  return at.toJwt();
}

async function post(method: string, body: string | Uint8Array, headers: Record<string, string>) {
  const response = await fetch(`${url}/twirp/livekit.RoomService/${method}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : Buffer.from(body),
    headers,
  });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

describe('Twirp RoomService handler through livekit-server-sdk', () => {
  it('creates, lists and deletes rooms', async () => {
    const room = await client.createRoom({
      name: 'r1',
      metadata: 'meta',
      emptyTimeout: 30,
      maxParticipants: 5,
    });
    expect(room.name).toBe('r1');
    expect(room.metadata).toBe('meta');
    expect(room.maxParticipants).toBe(5);
    expect((await client.createRoom({ name: 'r1' })).sid).toBe(room.sid);
    await client.createRoom({ name: 'r2' });
    expect((await client.listRooms()).map((r) => r.name).sort()).toEqual(['r1', 'r2']);
    expect((await client.listRooms(['r2'])).map((r) => r.name)).toEqual(['r2']);
    await client.deleteRoom('r1');
    expect((await client.listRooms()).map((r) => r.name)).toEqual(['r2']);
    expect(await twirpFailure(client.deleteRoom('r1'))).toEqual({
      status: 404,
      code: 'not_found',
      message: 'requested room does not exist',
    });
  });

  it('lists, gets, updates and removes participants', async () => {
    await client.createRoom({ name: 'r' });
    backend.join('r', 'alice');
    expect((await client.listParticipants('r')).map((p) => p.identity)).toEqual(['alice']);
    expect((await client.getParticipant('r', 'alice')).sid).toBe('PA_alice');

    const updated = await client.updateParticipant('r', 'alice', {
      metadata: 'm2',
      name: 'Alice',
      attributes: { drop: '', added: '1' },
      permission: { canPublishData: false, canSubscribe: true },
    });
    expect(updated.metadata).toBe('m2');
    expect(updated.name).toBe('Alice');
    expect(updated.attributes).toEqual({ keep: 'yes', added: '1' });
    expect(updated.permission?.canPublishData).toBe(false);
    expect(updated.permission?.canSubscribe).toBe(true);

    await client.removeParticipant('r', 'alice');
    expect(backend.removed).toEqual(['alice']);
    const missing = await twirpFailure(client.getParticipant('r', 'alice'));
    expect(missing).toEqual({ status: 404, code: 'not_found', message: 'participant does not exist' });
    expect((await twirpFailure(client.listParticipants('nope'))).message).toBe(
      'requested room does not exist',
    );
    expect((await twirpFailure(client.removeParticipant('r', 'alice'))).status).toBe(404);
  });

  it('updates room metadata', async () => {
    await client.createRoom({ name: 'r' });
    expect((await client.updateRoomMetadata('r', 'hello')).metadata).toBe('hello');
    expect(backend.rooms.get('r')?.room.metadata).toBe('hello');
    expect((await twirpFailure(client.updateRoomMetadata('nope', 'x'))).status).toBe(404);
  });

  it('builds the SendData packet with no sender, keeping kind, topic, destinations and nonce', async () => {
    await client.createRoom({ name: 'r' });
    const payload = new TextEncoder().encode('hi');
    await client.sendData('r', payload, DataPacket_Kind.LOSSY, {
      topic: 'chat',
      destinationIdentities: ['bob'],
      destinationSids: ['PA_bob'],
    });
    await client.sendData('r', payload, DataPacket_Kind.RELIABLE, {});
    const [lossy, reliable] = backend.sent.map((s) => s.packet);
    expect(lossy?.kind).toBe(DataPacket_Kind.LOSSY);
    expect(lossy?.participantIdentity).toBe('');
    expect(lossy?.destinationIdentities).toEqual(['bob']);
    expect(lossy?.value.case).toBe('user');
    const user = lossy?.value.value as import('@livekit/protocol').UserPacket;
    expect(new TextDecoder().decode(user.payload)).toBe('hi');
    expect(user.topic).toBe('chat');
    expect(user.destinationSids).toEqual(['PA_bob']);
    expect(user.participantIdentity).toBe('');
    expect(user.nonce.length).toBe(16);
    expect(reliable?.kind).toBe(DataPacket_Kind.RELIABLE);
    expect(reliable?.sequence).toBe(0);
    expect((await twirpFailure(client.sendData('nope', payload, DataPacket_Kind.RELIABLE, {}))).status).toBe(
      404,
    );
  });

  it('answers MutePublishedTrack with not_found and accepts UpdateSubscriptions', async () => {
    await client.createRoom({ name: 'r' });
    backend.join('r', 'alice');
    expect(await twirpFailure(client.mutePublishedTrack('r', 'alice', 'TR_x', true))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await expect(client.updateSubscriptions('r', 'alice', ['TR_x'], true)).resolves.toBeUndefined();
  });

  it('serves binary protobuf requests with protobuf responses', async () => {
    await client.createRoom({ name: 'bin' });
    const response = await fetch(`${url}/twirp/livekit.RoomService/ListRooms`, {
      method: 'POST',
      body: Buffer.from(new ListRoomsRequest({ names: ['bin'] }).toBinary()),
      headers: {
        'Content-Type': 'application/protobuf',
        Authorization: `Bearer ${await tokenFor({ roomList: true })}`,
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/protobuf');
    const decoded = ListRoomsResponse.fromBinary(new Uint8Array(await response.arrayBuffer()));
    expect(decoded.rooms.map((r) => r.name)).toEqual(['bin']);
  });
});

describe('Twirp refusals', () => {
  it('refuses calls without the method grant, or with roomAdmin for another room', async () => {
    await client.createRoom({ name: 'r' });
    backend.join('r', 'alice');
    const joinOnly = new RoomServiceClient(url, undefined, undefined, {
      token: await tokenFor({ roomJoin: true, room: 'r' }),
    });
    for (const call of [
      joinOnly.listRooms(),
      joinOnly.createRoom({ name: 'x' }),
      joinOnly.deleteRoom('r'),
      joinOnly.listParticipants('r'),
      joinOnly.sendData('r', new Uint8Array([1]), DataPacket_Kind.RELIABLE, {}),
    ]) {
      const error = await twirpFailure(call);
      expect(error.status).toBe(401);
      expect(error.code).toBe('unauthenticated');
      expect(error.message).toMatch(/permissions denied/);
    }
    const otherRoom = new RoomServiceClient(url, undefined, undefined, {
      token: await tokenFor({ roomAdmin: true, room: 'other' }),
    });
    expect((await twirpFailure(otherRoom.removeParticipant('r', 'alice'))).message).toMatch(
      /for room "other"/,
    );
    expect(backend.getParticipant('r', 'alice')).toBeDefined();
  });

  it('refuses missing, malformed, wrongly signed and expired tokens', async () => {
    const expired = new AccessToken(KEY, SECRET, { ttl: -120 });
    expired.addGrant({ roomList: true });
    for (const authorization of [
      undefined,
      'Bearer not-a-jwt',
      `Bearer ${await tokenFor({ roomList: true }, 'another-secret-another-secret')}`,
      `Bearer ${await expired.toJwt()}`,
      await tokenFor({ roomList: true }),
    ]) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (authorization) headers.Authorization = authorization;
      const res = await post('ListRooms', '{}', headers);
      expect(res.status).toBe(401);
      expect(res.type).toBe('application/json');
      expect(JSON.parse(res.text).code).toBe('unauthenticated');
    }
  });

  it('answers bad routes, bad content types, bad bodies and unimplemented methods as Twirp errors', async () => {
    const auth = `Bearer ${await tokenFor({ roomCreate: true, roomList: true, roomAdmin: true, room: 'r' })}`;
    const json = { 'Content-Type': 'application/json', Authorization: auth };
    const cases: Array<[string, string | Uint8Array, Record<string, string>, number, string]> = [
      ['NoSuchMethod', '{}', json, 404, 'bad_route'],
      ['ListRooms', '{}', { 'Content-Type': 'text/plain', Authorization: auth }, 404, 'bad_route'],
      ['CreateRoom', '{"name": ', json, 400, 'malformed'],
      ['CreateRoom', '[1,2]', json, 400, 'malformed'],
      ['CreateRoom', '{"name": 5}', json, 400, 'malformed'],
      ['CreateRoom', '{}', json, 400, 'invalid_argument'],
      ['CreateRoom', JSON.stringify({ name: 'x'.repeat(300) }), json, 400, 'invalid_argument'],
      [
        'CreateRoom',
        new Uint8Array([0x0a, 0x10, 0x61]),
        { ...json, 'Content-Type': 'application/protobuf' },
        400,
        'malformed',
      ],
      ['SendData', JSON.stringify({ room: 'r', data: 'aGk=', nonce: 'AAE=' }), json, 400, 'invalid_argument'],
      ['SendData', JSON.stringify({ room: 'r', data: 'aGk=', kind: 7 }), json, 400, 'invalid_argument'],
      [
        'UpdateParticipant',
        JSON.stringify({ room: 'r', identity: 'a', name: 'n'.repeat(300) }),
        json,
        400,
        'invalid_argument',
      ],
      ['MoveParticipant', '{}', json, 501, 'unimplemented'],
      ['ListRooms', 'x'.repeat(300 * 1024), json, 400, 'invalid_argument'],
    ];
    for (const [method, body, headers, status, code] of cases) {
      const res = await post(method, body, headers);
      expect({ method, status: res.status, code: JSON.parse(res.text).code }).toEqual({
        method,
        status,
        code,
      });
      expect(res.type).toBe('application/json');
    }
    const get = await fetch(`${url}/twirp/livekit.RoomService/ListRooms`);
    expect(get.status).toBe(404);
    expect((await get.json()).code).toBe('bad_route');
  });

  it('measures the whole packet against the limit: a payload just under it with a topic is refused', async () => {
    await client.createRoom({ name: 'r' });
    // 65,500 bytes of payload fit alone; with a 100-byte topic and the envelope the packet does not.
    const error = await twirpFailure(
      client.sendData('r', new Uint8Array(65_500), DataPacket_Kind.RELIABLE, { topic: 't'.repeat(100) }),
    );
    expect(error).toMatchObject({ status: 400, code: 'invalid_argument' });
    await client.sendData('r', new Uint8Array(65_300), DataPacket_Kind.RELIABLE, { topic: 't'.repeat(100) });
    expect(backend.sent).toHaveLength(1);
  });

  it('refuses an oversize SendData payload and delivers nothing', async () => {
    await client.createRoom({ name: 'r' });
    const error = await twirpFailure(
      client.sendData('r', new Uint8Array(70_000), DataPacket_Kind.RELIABLE, {}),
    );
    expect(error).toMatchObject({ status: 400, code: 'invalid_argument' });
    expect(error.message).toMatch(/limit is 65535 bytes/);
    expect(backend.sent).toEqual([]);
  });
});
