import { dataDirFromEnv } from '../../src/server/config.ts';
import { portFromEnv } from './port.ts';

export interface LiveKitServer {
  url: string;
  apiKey: string;
  apiSecret: string;
}

export interface LaunchOptions {
  appDir: string;
  mode: 'start' | 'dev';
  /** HTTP port of the app. */
  port: number;
  /**
   * An existing LiveKit server, or the embedded SFU on `port` (0: any free port) with a key pair
   * generated once into `dataDir`.
   */
  livekit: { external: LiveKitServer } | { embedded: { port: number; dataDir: string } };
}

/** The launcher's options from the environment (see the README's configuration table). */
export function optionsFromEnv(
  appDir: string,
  mode: LaunchOptions['mode'],
  env: Readonly<Record<string, string | undefined>> = process.env,
): LaunchOptions {
  const port = portFromEnv(env, 'PORT', 3000);
  if (!env.LIVEKIT_URL) {
    const embedded = { port: portFromEnv(env, 'SFU_PORT', 7880), dataDir: dataDirFromEnv(env, appDir) };
    return { appDir, mode, port, livekit: { embedded } };
  }
  if (!env.LIVEKIT_API_KEY || !env.LIVEKIT_API_SECRET) {
    throw new Error(
      'LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too (or unset LIVEKIT_URL to use the embedded SFU)',
    );
  }
  return {
    appDir,
    mode,
    port,
    livekit: {
      external: { url: env.LIVEKIT_URL, apiKey: env.LIVEKIT_API_KEY, apiSecret: env.LIVEKIT_API_SECRET },
    },
  };
}
