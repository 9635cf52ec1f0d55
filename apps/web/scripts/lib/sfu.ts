import type { SfuServer } from '@rhizom/sfu';
import { log } from './log.ts';
import { portFromEnv } from './port.ts';

export interface LiveKitSetting {
  /** Set only when the embedded SFU runs in this process. */
  close?: () => Promise<void>;
  env: { LIVEKIT_URL: string; LIVEKIT_API_KEY: string; LIVEKIT_API_SECRET: string };
}

const DEV_KEY = 'devkey';
const DEV_SECRET = 'secret';

/**
 * Uses the configured LiveKit server when LIVEKIT_URL is set; otherwise starts the embedded SFU in
 * this process so `npm start` needs no external service.
 */
export async function ensureLiveKit(appPort: number): Promise<LiveKitSetting> {
  const url = process.env.LIVEKIT_URL;
  if (url) {
    const key = process.env.LIVEKIT_API_KEY;
    const secret = process.env.LIVEKIT_API_SECRET;
    if (!key || !secret) {
      throw new Error('LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too');
    }
    log.info({ url }, 'using external LiveKit server');
    return { env: { LIVEKIT_URL: url, LIVEKIT_API_KEY: key, LIVEKIT_API_SECRET: secret } };
  }
  const port = portFromEnv('SFU_PORT', 7880);
  const { startSfu } = await import('@rhizom/sfu');
  let sfu: SfuServer;
  try {
    sfu = await startSfu({
      port,
      keys: { [DEV_KEY]: DEV_SECRET },
      // Presence reaches the app the same way LiveKit Cloud reports it: signed webhooks.
      webhook: { url: `http://127.0.0.1:${appPort}/api/livekit/webhook` },
      logger: log.child({ component: 'sfu' }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `port ${port} (embedded SFU) is already in use: set SFU_PORT to another port, or LIVEKIT_URL to an existing LiveKit server`,
      );
    }
    throw error;
  }
  log.info({ url: sfu.url }, 'embedded SFU started');
  return {
    close: () => sfu.close(),
    env: { LIVEKIT_URL: sfu.url, LIVEKIT_API_KEY: DEV_KEY, LIVEKIT_API_SECRET: DEV_SECRET },
  };
}
