import { Agent, request } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SfuServer, startSfu } from '../src/start.ts';

let sfu: SfuServer;

beforeAll(async () => {
  sfu = await startSfu({ port: 0, keys: {}, logger: pino({ level: 'warn' }), metrics: false });
});

afterAll(() => sfu?.close());

/** One GET / on `agent`: whether it went over a kept-alive connection, and the Keep-Alive header. */
function get(agent: Agent): Promise<{ reusedSocket: boolean; keepAlive: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sfu.url.replace(/^ws/, 'http')}/`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ reusedSocket: req.reusedSocket, keepAlive: res.headers['keep-alive'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('keep-alive connections', () => {
  it('stay open while idle, as livekit-server: the client, not the server, closes them', async () => {
    // A server that closes idle connections (Node's default: after 5 s) races every client that
    // reuses one at that moment: the request meets a closed socket (ECONNRESET, or fetch's "other
    // side closed", as bench:sfu saw). Clients close their own idle connections (fetch after 4 s).
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(agent);
      expect(first.keepAlive).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 6_500));
      expect((await get(agent)).reusedSocket).toBe(true);
    } finally {
      agent.destroy();
    }
  });
});
