import { randomBytes } from 'node:crypto';
import type { SfuServer } from '@rhizom/sfu';
import { persistedSecret } from '../../src/server/persisted-secret.ts';
import { log } from './log.ts';
import type { LaunchOptions, LiveKitServer } from './options.ts';
import { portInUse } from './port.ts';

/**
 * The embedded SFU's key pair: made once per install into the data directory, never the published
 * `devkey`/`secret` (with those, any local process or web page could sign itself into any room).
 */
function installKeyPair(dataDir: string): { apiKey: string; apiSecret: string } {
  return {
    apiKey: persistedSecret(dataDir, 'livekit-api-key', () => `API${randomBytes(9).toString('base64url')}`),
    apiSecret: persistedSecret(dataDir, 'livekit-api-secret'),
  };
}

export interface LiveKitHandle {
  server: LiveKitServer;
  /** Set only when the embedded SFU runs in this process. */
  close?: () => Promise<void>;
}

/** Uses the configured LiveKit server, or starts the embedded SFU in this process. */
export async function ensureLiveKit(
  livekit: LaunchOptions['livekit'],
  appPort: number,
): Promise<LiveKitHandle> {
  if ('external' in livekit) {
    log.info({ url: livekit.external.url }, 'using external LiveKit server');
    return { server: livekit.external };
  }
  const { port, dataDir } = livekit.embedded;
  const { apiKey, apiSecret } = installKeyPair(dataDir);
  const { startSfu } = await import('@rhizom/sfu');
  let sfu: SfuServer;
  try {
    sfu = await startSfu({
      port,
      keys: { [apiKey]: apiSecret },
      // Presence reaches the app the same way LiveKit Cloud reports it: signed webhooks.
      webhook: { url: `http://127.0.0.1:${appPort}/api/livekit/webhook` },
      logger: log.child({ component: 'sfu' }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw portInUse(port, 'SFU_PORT (or LIVEKIT_URL for an existing LiveKit server)', 'embedded SFU');
    }
    throw error;
  }
  log.info({ url: sfu.url }, 'embedded SFU started');
  return { server: { url: sfu.url, apiKey, apiSecret }, close: () => sfu.close() };
}
