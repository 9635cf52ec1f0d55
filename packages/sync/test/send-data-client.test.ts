import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { type SfuServer, startSfu } from '@rhizom/sfu';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLiveKitSender } from '../src/server/livekit-sender.ts';
import { createSendDataClient, type SendDataClient } from '../src/server/send-data-client.ts';
import { quietLogger } from './support/fixtures.ts';
import { startFlakyRoomService } from './support/flaky-room-service.ts';
import { API_KEY, API_SECRET } from './support/harness.ts';

/** Every SendData the real SFU received: the connection it came on and its token. */
function watchSendData() {
  const calls: { socket: Socket; authorization: string | undefined }[] = [];
  const listener = (message: unknown) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    if (request.url?.endsWith('/SendData'))
      calls.push({ socket, authorization: request.headers.authorization });
  };
  subscribe('http.server.request.start', listener);
  return { calls, stop: () => unsubscribe('http.server.request.start', listener) };
}

describe('SendData client against the real SFU', () => {
  let sfu: SfuServer;
  let sdk: RoomServiceClient;
  const clients: SendDataClient[] = [];
  const client = (options: Partial<Parameters<typeof createSendDataClient>[0]> = {}) => {
    const created = createSendDataClient({
      url: sfu.url,
      apiKey: API_KEY,
      apiSecret: API_SECRET,
      ...options,
    });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    sfu = await startSfu({ port: 0, keys: { [API_KEY]: API_SECRET }, logger: quietLogger, metrics: false });
    sdk = new RoomServiceClient(sfu.url, API_KEY, API_SECRET);
    await sdk.createRoom({ name: '@a' });
    await sdk.createRoom({ name: '@b' });
  });
  afterEach(() => {
    for (const created of clients.splice(0)) created.close();
  });
  afterAll(() => sfu.close());

  it("keeps one connection alive and reuses each room's signed token", async () => {
    const sender = client();
    const watch = watchSendData();
    try {
      for (const room of ['@a', '@a', '@b', '@a', '@b'])
        await sender.sendData(room, Buffer.from('hi'), 'sync');
    } finally {
      watch.stop();
    }
    expect(watch.calls).toHaveLength(5);
    expect(new Set(watch.calls.map((call) => call.socket)).size).toBe(1);
    const tokens = watch.calls.map((call) => call.authorization);
    expect(new Set(tokens).size).toBe(2);
    expect(tokens[0]).toBe(tokens[1]);
    expect(tokens[0]).toBe(tokens[3]);
    expect(tokens[2]).toBe(tokens[4]);
  });

  it('sends again on a new connection when a kept-alive one was closed just as it was reused', async () => {
    // Any hop (LiveKit Cloud's proxies, a server's idle timeout) may close an idle connection at the
    // moment the client reuses it; the request then meets a closed socket. SendData's nonce makes a
    // second attempt safe: LiveKit drops a repeated nonce.
    const sender = client();
    const watch = watchSendData();
    try {
      await sender.sendData('@a', Buffer.from('before'), 'sync');
      watch.calls[0]?.socket.destroy();
      await sender.sendData('@a', Buffer.from('after'), 'sync');
    } finally {
      watch.stop();
    }
    expect(watch.calls).toHaveLength(2);
    expect(watch.calls[1]?.socket).not.toBe(watch.calls[0]?.socket);
  });

  it('signs a new token once half of its lifetime has passed', async () => {
    const sender = client({ tokenTtlSeconds: 2 });
    const watch = watchSendData();
    try {
      await sender.sendData('@a', Buffer.from('1'), 'sync');
      await sender.sendData('@a', Buffer.from('2'), 'sync');
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await sender.sendData('@a', Buffer.from('3'), 'sync');
    } finally {
      watch.stop();
    }
    const [first, second, third] = watch.calls.map((call) => call.authorization);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
  });

  it('answers no-room for a room nobody is in, and throws what LiveKit refused', async () => {
    const sender = createLiveKitSender(client(), sdk);
    await expect(sender('@nobody-here', Buffer.from('x'))).resolves.toBe('no-room');
    await expect(sender('@a', Buffer.from('x'))).resolves.toBe('sent');
    const wrongSecret = createLiveKitSender(
      client({ apiSecret: 'not-the-secret-not-the-secret-not' }),
      new RoomServiceClient(sfu.url, API_KEY, 'not-the-secret-not-the-secret-not'),
    );
    await expect(wrongSecret('@a', Buffer.from('x'))).rejects.toMatchObject({
      status: 401,
      code: 'unauthenticated',
    });
  });

  it('sends once more through livekit-server-sdk when LiveKit answers 5xx', async () => {
    const flaky = await startFlakyRoomService(sfu.url, 'SendData', 1);
    try {
      const sender = createLiveKitSender(
        client({ url: flaky.url }),
        new RoomServiceClient(flaky.url, API_KEY, API_SECRET),
      );
      await expect(sender('@a', Buffer.from('x'))).resolves.toBe('sent');
      expect(flaky.refused()).toBe(1);
    } finally {
      await flaky.close();
    }
  });

  it('fails with a clear error when LiveKit cannot be reached', async () => {
    const unreachable = 'http://127.0.0.1:9';
    const sender = createLiveKitSender(
      client({ url: unreachable, requestTimeoutSeconds: 2 }),
      new RoomServiceClient(unreachable, API_KEY, API_SECRET, { requestTimeout: 2 }),
    );
    await expect(sender('@a', Buffer.from('x'))).rejects.toThrow();
  });
});
