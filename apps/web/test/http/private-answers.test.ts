import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerWithFetch } from '../../src/server/http/fetch-bridge.ts';
import { handleTrpcRequest } from '../../src/server/trpc-http.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signUp, type TestUser } from '../support/users.ts';

/**
 * The sync answers that carry a space's sealing key or its private contents, fetched over real HTTP:
 * no browser, proxy or CDN may keep a copy, or a removed member could read it back later.
 */
describe.each(databaseKinds)('sync answers are never cached, on %s', (kind) => {
  let runtime: TestRuntime;
  let server: Server;
  let base: string;
  let ada: TestUser;
  let space: string;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    ada = await signUp(runtime, 'Ada');
    space = (await ada.api.being.create({ name: 'Ledger room', type: 'space', visibility: 'private' })).id;
    // The app's tRPC handler behind a plain node:http server, as the served app answers it.
    server = createServer((req, res) =>
      answerWithFetch((request) => handleTrpcRequest(runtime, request), req, res),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await runtime?.dispose();
  });

  const get = (paths: string, inputs: unknown[]) => {
    const input = Object.fromEntries(inputs.map((json, index) => [index, { json }]));
    return fetch(`${base}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, {
      headers: { cookie: ada.headers.get('cookie') ?? '' },
    });
  };

  it('keys, since and snapshot answer with no-store, alone or batched with other calls', async () => {
    const snapshot = await ada.api.sync.snapshot({ spaceId: space });
    const calls: [string, unknown][] = [
      ['sync.keys', { spaceId: space }],
      ['sync.snapshot', { spaceId: space }],
      ['sync.since', { spaceId: space, epoch: snapshot.epoch, afterSeq: snapshot.seq }],
    ];
    for (const [path, input] of calls) {
      const response = await get(path, [input]);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toContain('no-store');
      expect(response.headers.get('pragma'), path).toBe('no-cache');
    }
    const batched = await get('being.get,sync.keys', [{ id: space }, { spaceId: space }]);
    expect(batched.status).toBe(200);
    expect(batched.headers.get('cache-control')).toContain('no-store');
  });

  it('an answer that carries nothing private keeps the default', async () => {
    const response = await get('being.get', [{ id: space }]);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBeNull();
  });
});
