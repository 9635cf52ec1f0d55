import type { IncomingMessage } from 'node:http';
import {
  AddTrackRequest,
  DisconnectReason,
  LeaveRequest_Action,
  Ping,
  SignalRequest,
  SignalResponse,
  TrackType,
} from '@livekit/protocol';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type SfuServer, startSfu } from '../src/start.ts';
import { joinToken, KEYS } from './support/tokens.ts';

let sfu: SfuServer;
let http: string;

beforeAll(async () => {
  sfu = await startSfu({ port: 0, keys: KEYS, logger: pino({ level: 'silent' }) });
  http = sfu.url.replace(/^ws/, 'http');
});
afterAll(() => sfu.close());

/** A raw v0 signal client: what the SDKs do on the wire, without their retries in the way. */
async function openSignal(
  query: Record<string, string>,
): Promise<{ ws: WebSocket; next(): Promise<SignalResponse> }> {
  const ws = new WebSocket(`${sfu.url}/rtc?${new URLSearchParams({ protocol: '16', sdk: 'js', ...query })}`);
  const queue: SignalResponse[] = [];
  const waiters: Array<(r: SignalResponse) => void> = [];
  ws.on('message', (data: Buffer) => {
    const response = SignalResponse.fromBinary(new Uint8Array(data));
    const waiter = waiters.shift();
    if (waiter) waiter(response);
    else queue.push(response);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return {
    ws,
    next: () => {
      const queued = queue.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiters.push(resolve));
    },
  };
}

/** Reads responses until one of the wanted case arrives (skipping trickle, offers, updates). */
async function nextOf(signal: { next(): Promise<SignalResponse> }, wanted: string): Promise<SignalResponse> {
  for (;;) {
    const response = await signal.next();
    if (response.message.case === wanted) return response;
  }
}

function send(ws: WebSocket, request: SignalRequest['message']): void {
  ws.send(new SignalRequest({ message: request }).toBinary());
}

const APP_ORIGIN = 'https://app.example';

describe('HTTP surface', () => {
  it('answers health checks and CORS preflights', async () => {
    const get = await fetch(`${http}/`);
    expect([get.status, await get.text()]).toEqual([200, 'OK']);
    expect((await fetch(`${http}/`, { method: 'HEAD' })).status).toBe(200);
    const options = await fetch(`${http}/twirp/livekit.RoomService/SendData`, {
      method: 'OPTIONS',
      headers: {
        Origin: APP_ORIGIN,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(options.headers.get('access-control-allow-headers')).toBe('authorization,content-type');
    expect(options.headers.get('vary')).toContain('Origin');
  });

  it('echoes the Origin as livekit-server does, and sends no CORS headers without one', async () => {
    const plain = await fetch(`${http}/`);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const cross = await fetch(`${http}/`, { headers: { Origin: APP_ORIGIN } });
    expect(cross.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const ws = new WebSocket(`${sfu.url}/rtc?access_token=garbage`, { origin: APP_ORIGIN });
    const refused = await new Promise<IncomingMessage>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => resolve(res));
      ws.on('open', () => reject(new Error('upgrade accepted')));
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
  });

  it('validates a join on both validate paths, with CORS on success and refusal', async () => {
    const token = await joinToken('validate', 'v');
    const ok = await fetch(`${http}/rtc/validate?access_token=${token}`, { headers: { Origin: APP_ORIGIN } });
    expect([ok.status, await ok.text()]).toEqual([200, 'success']);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const noJoinRequest = await fetch(`${http}/rtc/v1/validate?access_token=${token}`);
    expect(noJoinRequest.status).toBe(400);
    const denied = await fetch(
      `${http}/rtc/validate?access_token=${await joinToken('validate', 'v', { roomJoin: false })}`,
      { headers: { Origin: APP_ORIGIN } },
    );
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
  });

  it('refuses an unauthorised upgrade with the HTTP status, before any WebSocket traffic', async () => {
    const ws = new WebSocket(`${sfu.url}/rtc?access_token=garbage`);
    const status = await new Promise<number | undefined>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode));
      ws.on('open', () => resolve(undefined));
    });
    expect(status).toBe(401);
  });
});

describe('signalling', () => {
  it('sends join first, then answers ping and ping_req', async () => {
    const signal = await openSignal({ access_token: await joinToken('pings', 'pinger') });
    const first = await signal.next();
    expect(first.message.case).toBe('join');
    if (first.message.case !== 'join') return;
    expect(first.message.value.participant?.sid).toMatch(/^PA_/);
    expect(first.message.value.room?.sid).toMatch(/^RM_/);
    expect(first.message.value.pingInterval).toBeGreaterThan(0);
    expect(first.message.value.subscriberPrimary).toBe(true);
    send(signal.ws, { case: 'ping', value: 42n });
    const pong = await nextOf(signal, 'pong');
    expect(pong.message.value).toBeGreaterThan(0n);
    send(signal.ws, { case: 'pingReq', value: new Ping({ timestamp: 1234n, rtt: 0n }) });
    const pongResp = await nextOf(signal, 'pongResp');
    expect(pongResp.message.case === 'pongResp' && pongResp.message.value.lastPingTimestamp).toBe(1234n);
    signal.ws.close();
  });

  it('refuses a media track with request_response NOT_ALLOWED', async () => {
    const signal = await openSignal({ access_token: await joinToken('tracks', 'camera-person') });
    const join = await signal.next();
    expect(join.message.case === 'join' && join.message.value.participant?.permission?.canPublish).toBe(
      false,
    );
    send(signal.ws, { case: 'addTrack', value: new AddTrackRequest({ cid: 'cam', type: TrackType.VIDEO }) });
    const response = await nextOf(signal, 'requestResponse');
    expect(response.message.case === 'requestResponse' && response.message.value.reason).toBe(2);
    expect(response.message.case === 'requestResponse' && response.message.value.message).toMatch(
      /data only/,
    );
    signal.ws.close();
  });

  it('answers a resume for an unknown session with leave(RECONNECT) as the first message', async () => {
    const signal = await openSignal({
      access_token: await joinToken('stale', 'ghost'),
      reconnect: '1',
      sid: 'PA_doesnotexist',
    });
    const first = await signal.next();
    expect(first.message.case).toBe('leave');
    if (first.message.case !== 'leave') return;
    expect(first.message.value.action).toBe(LeaveRequest_Action.RECONNECT);
    expect(first.message.value.reason).toBe(DisconnectReason.STATE_MISMATCH);
  });

  it('ends a session whose socket closes before its peer connection came up', async () => {
    const signal = await openSignal({ access_token: await joinToken('early-close', 'quitter') });
    await signal.next();
    expect(sfu.rooms.listParticipants('early-close')?.map((p) => p.identity)).toEqual(['quitter']);
    signal.ws.terminate();
    await expect.poll(() => sfu.rooms.listParticipants('early-close')?.length, { timeout: 5000 }).toBe(0);
  });

  it('drops frames that are not SignalRequests and keeps serving the connection', async () => {
    const signal = await openSignal({ access_token: await joinToken('garbage', 'noisy') });
    await signal.next();
    signal.ws.send(Buffer.from([0xff, 0xff, 0xff, 0x01]));
    signal.ws.send('not binary');
    send(signal.ws, { case: 'ping', value: 1n });
    expect((await nextOf(signal, 'pong')).message.case).toBe('pong');
    signal.ws.close();
  });
});
