import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBotEnv } from '../../src/bots/env.ts';
import { BotReplyError } from '../../src/bots/errors.ts';
import { isPublicAddress } from '../../src/bots/outbound/address-policy.ts';
import { publicOnlyFetch } from '../../src/bots/outbound/guarded-fetch.ts';
import { resolveProvider } from '../../src/bots/providers/resolve.ts';

/**
 * An owner-chosen provider URL may not make the server talk to this machine or its network. Each spelling
 * of a loopback or private address goes through the real provider client (`resolveProvider` → fetch) at
 * an internal service listening on every local address; that service must receive nothing.
 */
let internal: Server;
let port: number;
let connections = 0;

beforeAll(async () => {
  internal = createServer((_req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('INTERNAL-SECRET: db password hunter2');
  });
  internal.on('connection', () => {
    connections++;
  });
  // '::' also accepts IPv4 (dual stack), so 127.0.0.1, ::1 and mapped forms all land here.
  await new Promise<void>((resolve) => internal.listen(0, '::', resolve));
  port = (internal.address() as AddressInfo).port;
});
afterAll(async () => {
  internal.closeAllConnections();
  await new Promise((resolve) => internal.close(resolve));
});

async function ask(providerUrl: string, allowPrivate = false): Promise<BotReplyError> {
  const run = async () => {
    const provider = resolveProvider({
      settings: { providerUrl, model: 'm' },
      storedKey: null,
      env: { ...defaultBotEnv, allowPrivateUrls: allowPrivate },
      offlineChunkDelayMs: 1,
    });
    const signal = AbortSignal.timeout(10_000);
    for await (const _ of provider.stream({
      messages: [{ role: 'user', content: 'hi' }],
      maxTokens: 8,
      signal,
    }));
  };
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, providerUrl).toBeInstanceOf(BotReplyError);
  return error as BotReplyError;
}

const loopbackSpellings = [
  '127.0.0.1',
  '127.1',
  '2130706433',
  '0x7f000001',
  '0177.0.0.1',
  '0.0.0.0',
  'localhost',
  'localhost.',
  'LOCALHOST',
  'app.localhost',
  '[::1]',
  '[::]',
  '[0:0:0:0:0:0:0:1]',
  '[::ffff:127.0.0.1]',
  '[::ffff:7f00:1]',
  '[0:0:0:0:0:ffff:7f00:1]',
  '[::127.0.0.1]',
  '[::ffff:0:127.0.0.1]',
  '[64:ff9b::127.0.0.1]',
];

describe('bot provider URLs cannot reach private addresses', () => {
  it.each(loopbackSpellings)(
    'refuses http://%s before anything reaches the internal service',
    async (host) => {
      const error = await ask(`http://${host}:${port}/v1`);
      expect(['invalid_config', 'network']).toContain(error.code);
      expect(error.message).not.toContain('INTERNAL-SECRET');
      expect(connections).toBe(0);
    },
  );

  it('refuses, at connect time, a name that resolves to a private address', async () => {
    // The URL policy would refuse "localhost" by name; the connection guard is tested on its own here:
    // this is what stops a public-looking name whose DNS answer is (or later becomes) private.
    const error = await publicOnlyFetch(`http://localhost:${port}/v1/chat/completions`, {
      method: 'POST',
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(JSON.stringify((error as Error).cause?.toString())).toContain('private or reserved address');
    expect(connections).toBe(0);
  });

  it('classifies the special-purpose ranges, in every IPv6 form, as not public', () => {
    const notPublic = [
      '10.0.0.1',
      '172.16.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '198.18.0.1',
      '198.19.255.255',
      '169.254.169.254',
      '224.0.0.1',
      '255.255.255.255',
      '192.0.2.1',
      '240.0.0.1',
      '::ffff:a9fe:a9fe',
      '::ffff:c0a8:101',
      '64:ff9b::a9fe:a9fe',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      'fec0::1',
      '2001:db8::1',
      '::a9fe:a9fe',
    ];
    for (const address of notPublic) expect(isPublicAddress(address), address).toBe(false);
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808'])
      expect(isPublicAddress(address), address).toBe(true);
  });

  it('still reaches a private provider when the operator allows it, without showing its error text', async () => {
    const error = await ask(`http://127.0.0.1:${port}/v1`, true);
    expect(connections).toBeGreaterThan(0);
    connections = 0;
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('answered 500');
    expect(error.message).not.toContain('INTERNAL-SECRET');
    expect(error.detail).toContain('INTERNAL-SECRET');
  });
});
