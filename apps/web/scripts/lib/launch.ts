import { constants } from 'node:os';
import { answering } from './answering.ts';
import { log } from './log.ts';
import { runServer } from './next.ts';
import type { LaunchOptions } from './options.ts';
import { assertPortFree } from './port.ts';
import { ensureLiveKit } from './sfu.ts';

export interface LaunchedApp {
  url: string;
  /** Resolves with Next.js's exit code once Next.js has exited and the SFU is closed. */
  exited: Promise<number>;
  /** Stops Next.js with `signal`, then the SFU; resolves with the exit code. */
  close(signal?: NodeJS.Signals): Promise<number>;
}

/** Fails fast, before any build or start, when a port the launcher needs is taken. */
export async function checkPorts(options: LaunchOptions): Promise<void> {
  await assertPortFree(options.port, 'PORT', 'app');
  if ('embedded' in options.livekit) {
    await assertPortFree(
      options.livekit.embedded.port,
      'SFU_PORT (or LIVEKIT_URL for an existing LiveKit server)',
      'embedded SFU',
    );
  }
}

/**
 * Starts the embedded SFU (unless an external LiveKit server is configured), then Next.js in
 * `options.mode` with the LiveKit settings in its environment. The SFU outlives Next.js and closes
 * after it, however Next.js stops.
 */
export async function launch(options: LaunchOptions): Promise<LaunchedApp> {
  await checkPorts(options);
  const livekit = await ensureLiveKit(options.livekit, options.port);
  const next = runServer(options.appDir, options.mode, options.port, {
    ...process.env,
    LIVEKIT_URL: livekit.server.url,
    LIVEKIT_API_KEY: livekit.server.apiKey,
    LIVEKIT_API_SECRET: livekit.server.apiSecret,
    // In production the app closes its runtime on SIGINT/SIGTERM itself (src/server/shutdown.ts).
    ...(options.mode === 'start' ? { NEXT_MANUAL_SIG_HANDLE: 'true' } : {}),
  });
  const url = `http://localhost:${options.port}`;
  const exited = next.exited.finally(() => livekit.close?.());
  // Announced once the app answers, not when Next.js was merely spawned (a build or boot can take long).
  void answering(`http://127.0.0.1:${options.port}/`, exited).then((up) => {
    if (up) log.info({ port: options.port, mode: options.mode }, `rhizom on ${url}`);
  });
  return {
    url,
    exited,
    close(signal = 'SIGTERM') {
      next.child.kill(signal);
      return exited;
    },
  };
}

/**
 * Runs until the app exits; SIGINT/SIGTERM stop it cleanly. Resolves with the exit code: 0 when the
 * app stopped because we asked it to, so process managers do not report a requested stop as a crash.
 */
export async function runUntilSignal(app: LaunchedApp): Promise<number> {
  let requested: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    requested = signal;
    void app.close(signal);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const code = await app.exited;
    if (requested && code === 128 + constants.signals[requested]) return 0;
    if (!requested && code !== 0)
      log.error({ code }, 'the app exited on its own: see its output above for why');
    return code;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
