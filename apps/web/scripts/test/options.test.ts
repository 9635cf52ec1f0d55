import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { checkPorts } from '../lib/launch.ts';
import { optionsFromEnv } from '../lib/options.ts';

describe('optionsFromEnv', () => {
  test('defaults to port 3000 and the embedded SFU on 7880', () => {
    expect(optionsFromEnv('/app', 'start', {})).toEqual({
      appDir: '/app',
      mode: 'start',
      port: 3000,
      livekit: { embedded: { port: 7880, dataDir: '/app/.data' } },
    });
  });

  test('uses an external LiveKit server with its key pair', () => {
    const options = optionsFromEnv('/app', 'dev', {
      PORT: '4000',
      LIVEKIT_URL: 'wss://example.livekit.cloud',
      LIVEKIT_API_KEY: 'key',
      LIVEKIT_API_SECRET: 'shh',
    });
    expect(options.port).toBe(4000);
    expect(options.livekit).toEqual({
      external: { url: 'wss://example.livekit.cloud', apiKey: 'key', apiSecret: 'shh' },
    });
  });

  test('names the variable and the fix for a bad port', () => {
    expect(() => optionsFromEnv('/app', 'start', { PORT: 'eighty' })).toThrow(
      'PORT=eighty is not a port number: use an integer from 0 to 65535',
    );
    expect(() => optionsFromEnv('/app', 'start', { SFU_PORT: '70000' })).toThrow('SFU_PORT=70000');
  });

  test('refuses an external LiveKit URL without its key pair', () => {
    expect(() => optionsFromEnv('/app', 'start', { LIVEKIT_URL: 'wss://x' })).toThrow(
      /LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too/,
    );
  });
});

describe('checkPorts', () => {
  let holder: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve())));

  async function occupy(): Promise<number> {
    holder = createServer();
    await new Promise<void>((resolve) => holder?.listen(0, resolve));
    const address = holder.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    return address.port;
  }

  test('a taken app port says to set PORT', async () => {
    const port = await occupy();
    await expect(
      checkPorts({
        appDir: '/app',
        mode: 'start',
        port,
        livekit: { embedded: { port: 0, dataDir: '/tmp/unused' } },
      }),
    ).rejects.toThrow(`port ${port} (app) is already in use: stop what uses it, or set PORT to another port`);
  });

  test('a taken SFU port says to set SFU_PORT or LIVEKIT_URL', async () => {
    const port = await occupy();
    await expect(
      checkPorts({
        appDir: '/app',
        mode: 'start',
        port: 0,
        livekit: { embedded: { port, dataDir: '/tmp/unused' } },
      }),
    ).rejects.toThrow(/embedded SFU.*SFU_PORT \(or LIVEKIT_URL/);
  });

  test('an external LiveKit server needs no local SFU port', async () => {
    const port = await occupy();
    await expect(
      checkPorts({
        appDir: '/app',
        mode: 'start',
        port: 0,
        livekit: { external: { url: `ws://127.0.0.1:${port}`, apiKey: 'k', apiSecret: 's' } },
      }),
    ).resolves.toBeUndefined();
  });
});
