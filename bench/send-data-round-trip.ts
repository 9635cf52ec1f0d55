import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SYNC_TOPIC } from '@rhizom/sync';
import { createSendDataClient } from '@rhizom/sync/server';
import { DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import { keepAlivePoster } from './http-post.ts';
import { percentile } from './stats.ts';

export interface RoundTrips {
  /** Milliseconds per call, by client. */
  [client: string]: number[];
}

const EMPTY_ROOM = 'bench-empty-room';

/**
 * One SendData to a room nobody is in, against the same POST to a bare Node HTTP server that only reads
 * the body and answers `{}`: what the SFU's Twirp path and the app's HTTP client add to a round trip.
 * Calls alternate between the clients so all of them see the same machine load.
 */
export async function measureRoundTrips(
  livekit: { url: string; apiKey: string; apiSecret: string },
  payload: Uint8Array,
  calls: number,
): Promise<RoundTrips> {
  const bare = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/twirp/livekit.RoomService/SendData`;
  const sdk = new RoomServiceClient(livekit.url, livekit.apiKey, livekit.apiSecret);
  await sdk.createRoom({ name: EMPTY_ROOM });
  // The body the SDK sends: SendDataRequest in proto3 JSON.
  const body = JSON.stringify({
    room: EMPTY_ROOM,
    data: Buffer.from(payload).toString('base64'),
    kind: 'RELIABLE',
    topic: SYNC_TOPIC,
    nonce: Buffer.alloc(16).toString('base64'),
  });
  const bareHttp = keepAlivePoster(bareUrl);
  const app = createSendDataClient(livekit);
  const clients: Record<string, () => Promise<unknown>> = {
    "app's sender (node:http keep-alive, token reused) → SFU": () =>
      app.sendData(EMPTY_ROOM, payload, SYNC_TOPIC),
    'SDK sendData (fetch, token signed per call) → SFU': () =>
      sdk.sendData(EMPTY_ROOM, payload, DataPacket_Kind.RELIABLE, { topic: SYNC_TOPIC }),
    'bare POST, node:http keep-alive → bare Node server': () => bareHttp.post(body),
    'bare POST, fetch → bare Node server': async () =>
      (
        await fetch(bareUrl, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })
      ).text(),
  };
  const times: RoundTrips = Object.fromEntries(Object.keys(clients).map((name) => [name, []]));
  for (let i = 0; i < calls + 20; i++) {
    for (const [name, call] of Object.entries(clients)) {
      const started = performance.now();
      await call();
      // The first 20 rounds warm up connections and JIT.
      if (i >= 20) times[name]?.push(performance.now() - started);
    }
  }
  bareHttp.close();
  app.close();
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  return times;
}

export function describeRoundTrips(times: RoundTrips, floor: string): string[] {
  const floorP50 = percentile(times[floor] ?? [], 50);
  return Object.entries(times).map(([name, values]) => {
    const p50 = percentile(values, 50);
    return `| ${name} | ${p50.toFixed(2)} | ${percentile(values, 99).toFixed(2)} | ${(p50 / floorP50).toFixed(2)}× |`;
  });
}
