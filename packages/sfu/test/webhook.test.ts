import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ParticipantInfo, Room } from '@livekit/protocol';
import { dispose } from '@livekit/rtc-node';
import { WebhookReceiver } from 'livekit-server-sdk';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSfu } from '../src/start.ts';
import { createWebhookSink } from '../src/webhook/sink.ts';
import { joinAsNode } from './support/node-participant.ts';
import { API_KEY, API_SECRET, KEYS, roomService } from './support/tokens.ts';

interface Delivery {
  body: string;
  authorization: string | undefined;
  contentType: string | undefined;
}

/** A real loopback webhook receiver; `respond` decides each answer (or never answers). */
async function receiver(
  respond: (req: IncomingMessage, res: ServerResponse, n: number) => void = (_q, r) => r.end(),
) {
  const deliveries: Delivery[] = [];
  const waiters: Array<() => void> = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests += 1;
      respond(req, res, requests);
      if (res.statusCode < 300 && res.writableEnded) {
        deliveries.push({
          body: Buffer.concat(chunks).toString('utf8'),
          authorization: req.headers.authorization,
          contentType: req.headers['content-type'],
        });
        for (const wake of waiters.splice(0)) wake();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
    requests: () => requests,
    async until(count: number): Promise<Delivery[]> {
      while (deliveries.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return deliveries;
    },
  };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const logger = pino({ level: 'silent' });
const room = new Room({ sid: 'RM_test', name: 'hooks', numParticipants: 1 });
const verifier = new WebhookReceiver(API_KEY, API_SECRET);

describe('webhook sink', () => {
  it('posts signed proto3-JSON events that livekit-server-sdk WebhookReceiver accepts', async () => {
    const hook = await receiver();
    const sink = createWebhookSink({
      url: hook.url,
      keys: { apiKey: API_KEY, apiSecret: API_SECRET },
      logger,
    });
    sink.emit('room_started', { room });
    sink.emit('participant_joined', {
      room,
      participant: new ParticipantInfo({ sid: 'PA_x', identity: 'x' }),
    });
    const [first, second] = await hook.until(2);

    expect(first?.contentType).toBe('application/webhook+json');
    expect(first?.authorization).not.toMatch(/^Bearer/);
    const started = await verifier.receive(first?.body ?? '', first?.authorization);
    expect(started.event).toBe('room_started');
    expect(started.room?.name).toBe('hooks');
    expect(started.id).toMatch(/^EV_/);
    expect(Number(started.createdAt)).toBeGreaterThan(1_700_000_000);
    const joined = await verifier.receive(second?.body ?? '', second?.authorization);
    expect(joined.event).toBe('participant_joined');
    expect(joined.participant?.identity).toBe('x');
    expect(joined.id).not.toBe(started.id);
    await sink.flush();
    expect(sink.numDropped).toBe(0);
  });

  it('signs with a key from a key set, and a tampered body or another secret is rejected', async () => {
    const hook = await receiver();
    const sink = createWebhookSink({
      url: hook.url,
      keys: new Map([
        ['other', 'other-secret-other-secret-other'],
        [API_KEY, API_SECRET],
      ]),
      apiKey: API_KEY,
      logger,
    });
    sink.emit('room_finished', { room });
    const [delivery] = await hook.until(1);
    const { body = '', authorization } = delivery ?? {};
    await expect(verifier.receive(body, authorization)).resolves.toMatchObject({ event: 'room_finished' });
    await expect(verifier.receive(body.replace('hooks', 'hookz'), authorization)).rejects.toThrow(/sha256/);
    await expect(
      new WebhookReceiver(API_KEY, 'not-the-secret-not-the-secret').receive(body, authorization),
    ).rejects.toThrow();
  });

  it('retries a failing receiver and reports what it had to drop in the next event', async () => {
    // Every attempt for the first event fails (2 attempts); later ones succeed.
    const hook = await receiver((_req, res, n) => {
      res.statusCode = n <= 2 ? 503 : 200;
      res.end();
    });
    const sink = createWebhookSink({ url: hook.url, keys: KEYS, logger, attempts: 2, retryDelayMs: 1 });
    sink.emit('room_started', { room });
    sink.emit('room_finished', { room });
    const [delivery] = await hook.until(1);
    const event = await verifier.receive(delivery?.body ?? '', delivery?.authorization);
    expect(event.event).toBe('room_finished');
    expect(event.numDropped).toBe(1);
    expect(hook.requests()).toBe(3);
    expect(sink.numDropped).toBe(1);
  });

  it('at shutdown gives each event one attempt and, once one fails, drops the rest without retrying', async () => {
    // The app the SFU shuts down beside: it answers 503 (or not at all) from now on.
    const hook = await receiver((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const sink = createWebhookSink({ url: hook.url, keys: KEYS, logger, attempts: 3, retryDelayMs: 1 });
    sink.emit('participant_left', { room });
    sink.emit('room_finished', { room });
    await sink.flush();
    expect(hook.requests()).toBe(1);
    expect(sink.numDropped).toBe(2);
    expect(sink.pending).toBe(0);
  });

  it('never blocks emit on a hanging receiver: the queue is bounded and flush gives up', async () => {
    const hook = await receiver(() => {
      // Never answer.
    });
    const sink = createWebhookSink({
      url: hook.url,
      keys: KEYS,
      logger,
      maxQueue: 3,
      attemptTimeoutMs: 60_000,
    });
    for (let i = 0; i < 10; i += 1) expect(sink.emit('room_started', { room })).toBeUndefined();
    // One in flight, three queued, the rest dropped, all without waiting for the receiver.
    expect(sink.pending).toBe(4);
    expect(sink.numDropped).toBe(6);
    await sink.flush(50);
    expect(sink.pending).toBe(0);
    expect(sink.numDropped).toBe(10);
    expect(hook.deliveries).toEqual([]);
  });
});

describe('webhooks from a live SFU', () => {
  afterAll(() => dispose());

  it('sends room_started, participant_joined, participant_left and room_finished', async () => {
    const hook = await receiver();
    const sfu = await startSfu({
      port: 0,
      keys: KEYS,
      logger,
      rtc: { bindAddress: '127.0.0.1' },
      webhook: { url: hook.url },
    });
    try {
      const events = () => Promise.all(hook.deliveries.map((d) => verifier.receive(d.body, d.authorization)));
      const eventArrives = async (name: string) => {
        for (;;) {
          const seen = hook.deliveries.length;
          if ((await events()).some((e) => e.event === name)) return;
          await hook.until(seen + 1);
        }
      };
      const lee = await joinAsNode(sfu.url, 'hooked', 'lee');
      await eventArrives('participant_joined');
      await lee.leave();
      await eventArrives('participant_left');
      await roomService(sfu.url).deleteRoom('hooked');
      await eventArrives('room_finished');

      const received = await events();
      expect(received.map((e) => e.event)).toEqual([
        'room_started',
        'participant_joined',
        'participant_left',
        'room_finished',
      ]);
      expect(received.every((e) => e.room?.name === 'hooked')).toBe(true);
      expect(received[1]?.participant?.identity).toBe('lee');
    } finally {
      await sfu.close();
    }
  });
});
