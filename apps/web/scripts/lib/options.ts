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
  /** An existing LiveKit server, or the embedded SFU on `port` (0: any free port). */
  livekit: { external: LiveKitServer } | { embedded: { port: number } };
}

/** The launcher's options from the environment (see the README's configuration table). */
export function optionsFromEnv(
  appDir: string,
  mode: LaunchOptions['mode'],
  env: Readonly<Record<string, string | undefined>> = process.env,
): LaunchOptions {
  const port = portFromEnv(env, 'PORT', 3000);
  if (!env.LIVEKIT_URL)
    return { appDir, mode, port, livekit: { embedded: { port: portFromEnv(env, 'SFU_PORT', 7880) } } };
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
