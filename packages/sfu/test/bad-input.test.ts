import {
  DataPacket,
  DataPacket_Kind,
  Ping,
  SignalRequest,
  SimulateScenario,
  TrickleRequest,
  UserPacket,
} from '@livekit/protocol';
import { dispose } from '@livekit/rtc-node';
import { SignJWT } from 'jose';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RawClient } from '../src/raw-client.ts';
import type { NodeParticipant } from './support/node-participant.ts';
import { useSfu } from './support/sfu-stack.ts';
import { API_KEY, API_SECRET, joinToken, roomService } from './support/tokens.ts';

const stack = useSfu();
const { node, raw } = stack;
let http: string;
let admin: RoomServiceClient;
let watcher: NodeParticipant;
let markers = 0;

beforeAll(async () => {
  // Registered first, so it runs last: after every participant has left.
  stack.cleanup(dispose);
  http = stack.sfu.url.replace(/^ws/, 'http');
  admin = roomService(stack.sfu.url);
  watcher = await node('healthy', 'watcher');
});

/** After every refusal the server must still deliver to a participant of another room. */
async function stillServing(): Promise<void> {
  const marker = `alive-${++markers}`;
  await admin.sendData('healthy', new TextEncoder().encode(marker), DataPacket_Kind.RELIABLE, {});
  await watcher.nextData(marker);
}

/** The HTTP answer to a signal WebSocket upgrade (101 when it is accepted). */
function upgrade(query: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${stack.sfu.url}/rtc?${query}`);
    ws.once('open', () => {
      ws.terminate();
      resolve({ status: 101, body: '' });
    });
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

async function validate(query: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${http}/rtc/validate?${query}`);
  return { status: response.status, body: await response.text() };
}

async function droppedCount(reason: string): Promise<number> {
  const text = await (await fetch(`${http}/metrics`)).text();
  const match = new RegExp(`^sfu_packets_dropped_total\\{reason="${reason}"\\} (\\d+)`, 'm').exec(text);
  return Number(match?.[1] ?? Number.NaN);
}

/** A token signed by hand, for claims livekit-server-sdk will not produce (expired, no roomJoin…). */
function handToken(
  claims: Record<string, unknown>,
  secret = API_SECRET,
  expiresAt = Date.now() / 1000 + 600,
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(API_KEY)
    .setExpirationTime(Math.floor(expiresAt))
    .sign(new TextEncoder().encode(secret));
}

const grant = { video: { roomJoin: true, room: 'healthy' }, sub: 'intruder' };

describe('signal connections with bad credentials are refused before the upgrade', () => {
  it('no token: 401', async () => {
    expect(await upgrade('sdk=js&protocol=16')).toMatchObject({ status: 401 });
    const checked = await validate('sdk=js');
    expect(checked.status).toBe(401);
    expect(checked.body).toMatch(/access token/);
    await stillServing();
  });

  it('malformed JWT: 401', async () => {
    expect(await upgrade('access_token=not.a.jwt')).toMatchObject({ status: 401 });
    expect(await upgrade('access_token=%%%')).toMatchObject({ status: 401 });
    await stillServing();
  });

  it('token signed with the wrong secret: 401', async () => {
    const token = await handToken(grant, 'a-different-secret-a-different-secret');
    const result = await upgrade(`access_token=${token}`);
    expect(result.status).toBe(401);
    expect(result.body).toMatch(/signature/);
    await stillServing();
  });

  it('expired token: 401', async () => {
    const token = await handToken(grant, API_SECRET, Date.now() / 1000 - 3600);
    const result = await upgrade(`access_token=${token}`);
    expect(result.status).toBe(401);
    expect(result.body).toMatch(/expired/);
    await stillServing();
  });

  it('token without roomJoin: 401, and nobody joins', async () => {
    const token = await handToken({ video: { room: 'healthy' }, sub: 'intruder' });
    const result = await upgrade(`access_token=${token}`);
    expect(result.status).toBe(401);
    expect(result.body).toMatch(/permissions denied/);
    expect((await admin.listParticipants('healthy')).map((p) => p.identity)).toEqual(['watcher']);
    await stillServing();
  });
});

describe('bad signal frames are ignored and the connection keeps working', () => {
  /** A ping_req must still be answered with a pong_resp after the bad frames. */
  async function answersPing(client: RawClient, timestamp: bigint): Promise<void> {
    client.sendSignal(new SignalRequest({ message: { case: 'pingReq', value: new Ping({ timestamp }) } }));
    await expect
      .poll(() =>
        client.responses.some(
          (r) => r.message.case === 'pongResp' && r.message.value.lastPingTimestamp === timestamp,
        ),
      )
      .toBe(true);
  }

  it('non-protobuf and truncated frames', async () => {
    const client = await raw('frames', 'framer');
    client.ws.send('{"ping": 1}');
    client.ws.send(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]));
    const offer = new SignalRequest({
      message: { case: 'trickle', value: new TrickleRequest({ candidateInit: 'x'.repeat(200) }) },
    }).toBinary();
    client.ws.send(offer.subarray(0, offer.length - 50));
    await answersPing(client, 4242n);
    expect((await admin.listParticipants('frames')).map((p) => p.identity)).toEqual(['framer']);
    await stillServing();
  });

  it('unknown request types', async () => {
    const client = await raw('unknown', 'curious');
    // Field 99 is no SignalRequest case; `simulate` is one this server does not act on.
    client.ws.send(Buffer.from([0x98, 0x06, 0x01]));
    client.sendSignal(
      new SignalRequest({
        message: {
          case: 'simulate',
          value: new SimulateScenario({ scenario: { case: 'speakerUpdate', value: 3 } }),
        },
      }),
    );
    await answersPing(client, 77n);
    expect((await admin.listParticipants('unknown')).map((p) => p.identity)).toEqual(['curious']);
    await stillServing();
  });
});

describe('oversize and unpermitted data is dropped', () => {
  it('SendData over the packet limit: 400 invalid_argument, nothing delivered', async () => {
    const big = new Uint8Array(70_000);
    const error = (await admin
      .sendData('healthy', big, DataPacket_Kind.RELIABLE, {})
      .catch((e: unknown) => e)) as {
      status: number;
      code: string;
    };
    expect(error).toMatchObject({ status: 400, code: 'invalid_argument' });
    await stillServing();
    expect(watcher.received.every((r) => r.text.length < 1000)).toBe(true);
  });

  it('a participant publish over the limit: the SDK refuses, a raw client is dropped and counted', async () => {
    const receiver = await node('big', 'receiver');
    const sdkSender = await node('big', 'sdk-sender');
    await expect(
      sdkSender.room.localParticipant?.publishData(new Uint8Array(70_000), { reliable: true }),
    ).rejects.toThrow();

    const rawSender = await raw('big', 'raw-sender');
    const before = await droppedCount('oversize');
    const packet = new DataPacket({
      kind: DataPacket_Kind.RELIABLE,
      value: { case: 'user', value: new UserPacket({ payload: new Uint8Array(65_536 - 10) }) },
    }).toBinary();
    // Pad to exactly the advertised max-message-size (65,536), one byte over the server's limit.
    const message = Buffer.alloc(65_536);
    Buffer.from(packet).copy(message);
    expect(rawSender.reliable.sendMessageBinary(message)).toBe(true);
    await expect.poll(() => droppedCount('oversize')).toBe(before + 1);

    await admin.sendData('big', new TextEncoder().encode('after-big'), DataPacket_Kind.RELIABLE, {});
    await receiver.nextData('after-big');
    expect(receiver.received.map((r) => r.text)).toEqual(['after-big']);
    await stillServing();
  });

  it('a data publish without canPublishData reaches nobody and shows as a drop', async () => {
    const receiver = await node('muted', 'listener');
    const mute = await node('muted', 'mute', { canPublishData: false });
    const before = await droppedCount('no_permission');
    await mute.room.localParticipant?.publishData(new TextEncoder().encode('should-not-arrive'), {
      reliable: true,
    });
    await expect.poll(() => droppedCount('no_permission')).toBe(before + 1);
    await admin.sendData('muted', new TextEncoder().encode('after-mute'), DataPacket_Kind.RELIABLE, {});
    await receiver.nextData('after-mute');
    expect(receiver.received.map((r) => r.text)).toEqual(['after-mute']);
    await stillServing();
  });
});

describe('Twirp calls without admin grants or with bad bodies', () => {
  async function twirp(method: string, body: string, token: string, type = 'application/json') {
    const response = await fetch(`${http}/twirp/livekit.RoomService/${method}`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': type, Authorization: `Bearer ${token}` },
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    return { status: response.status, ...((await response.json()) as { code: string; msg: string }) };
  }

  it('a roomAdmin token for another room cannot touch this one', async () => {
    const elsewhere = new RoomServiceClient(http, undefined, undefined, {
      token: await handToken({ video: { roomAdmin: true, room: 'elsewhere' } }),
    });
    const error = (await elsewhere.removeParticipant('healthy', 'watcher').catch((e: unknown) => e)) as {
      status: number;
      code: string;
    };
    expect(error).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect((await admin.listParticipants('healthy')).map((p) => p.identity)).toEqual(['watcher']);
    await stillServing();
  });

  it('participant tokens and grant-less tokens are refused for every admin method', async () => {
    const participantToken = await joinToken('healthy', 'sneaky');
    const none = await new AccessToken(API_KEY, API_SECRET).toJwt();
    for (const token of [participantToken, none]) {
      for (const [method, body] of [
        ['CreateRoom', '{"name":"x"}'],
        ['ListRooms', '{}'],
        ['DeleteRoom', '{"room":"healthy"}'],
        ['ListParticipants', '{"room":"healthy"}'],
        ['RemoveParticipant', '{"room":"healthy","identity":"watcher"}'],
        ['UpdateParticipant', '{"room":"healthy","identity":"watcher","metadata":"x"}'],
        ['UpdateRoomMetadata', '{"room":"healthy","metadata":"x"}'],
        ['SendData', '{"room":"healthy","data":"aGk="}'],
      ] as const) {
        expect(await twirp(method, body, token)).toMatchObject({ status: 401, code: 'unauthenticated' });
      }
    }
    expect((await admin.listRooms(['x'])).length).toBe(0);
    await stillServing();
  });

  it('bad bodies: malformed JSON, wrong types, bad nonce, unknown content type, oversize body', async () => {
    const token = await handToken({ video: { roomAdmin: true, room: 'healthy', roomCreate: true } });
    expect(await twirp('SendData', '{"room": "healthy", "data": ', token)).toMatchObject({
      status: 400,
      code: 'malformed',
    });
    expect(await twirp('SendData', '{"room": 42}', token)).toMatchObject({ status: 400, code: 'malformed' });
    expect(await twirp('SendData', '{"room":"healthy","data":"aGk=","nonce":"AAEC"}', token)).toMatchObject({
      status: 400,
      code: 'invalid_argument',
    });
    expect(await twirp('CreateRoom', '{"name":"y"}', token, 'text/plain')).toMatchObject({
      status: 404,
      code: 'bad_route',
    });
    expect(await twirp('CreateRoom', 'x'.repeat(3 * 1024 * 1024), token)).toMatchObject({
      status: 400,
      code: 'invalid_argument',
    });
    await stillServing();
  });
});
