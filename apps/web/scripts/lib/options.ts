import { dataDirFrom, liveKitFrom, parseEnv } from '../../src/server/config.ts';
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

/** The launcher's own options (PORT, SFU_PORT) from the environment, after checking the app's (`server/config.ts`). */
export function optionsFromEnv(
  appDir: string,
  mode: LaunchOptions['mode'],
  env: Readonly<Record<string, string | undefined>> = process.env,
): LaunchOptions {
  // The app's whole configuration is checked here, before a build that could take minutes.
  const vars = parseEnv(env);
  const port = portFromEnv(env, 'PORT', 3000);
  const external = liveKitFrom(vars);
  if (!external) {
    const dataDir = dataDirFrom(vars.RHIZOM_DATA_DIR, appDir);
    return {
      appDir,
      mode,
      port,
      livekit: { embedded: { port: portFromEnv(env, 'SFU_PORT', 7880), dataDir } },
    };
  }
  const { url, apiKey, apiSecret } = external;
  return { appDir, mode, port, livekit: { external: { url, apiKey, apiSecret } } };
}
