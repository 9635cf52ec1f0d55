import type { SfuServer } from '@rhizom/sfu';
import { log } from './log.ts';
import type { LaunchOptions, LiveKitServer } from './options.ts';
import { portInUse } from './port.ts';

/** The embedded SFU's fixed development key pair; production uses an external LiveKit server. */
const DEV_KEY = 'devkey';
const DEV_SECRET = 'secret';

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
  const { port } = livekit.embedded;
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
      throw portInUse(port, 'SFU_PORT (or LIVEKIT_URL for an existing LiveKit server)', 'embedded SFU');
    }
    throw error;
  }
  log.info({ url: sfu.url }, 'embedded SFU started');
  return { server: { url: sfu.url, apiKey: DEV_KEY, apiSecret: DEV_SECRET }, close: () => sfu.close() };
}
