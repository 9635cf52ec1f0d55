import { log } from './log.ts';
import { runNext } from './next.ts';
import { assertPortFree, portFromEnv } from './port.ts';
import { ensureLiveKit } from './sfu.ts';

/**
 * Starts the embedded SFU (unless LIVEKIT_URL points elsewhere) and then Next.js in `mode`, forwards
 * SIGINT/SIGTERM to Next.js, and closes the SFU after Next.js exits. Resolves with the exit code.
 */
export async function launch(appDir: string, mode: 'start' | 'dev'): Promise<number> {
  const port = portFromEnv('PORT', 3000);
  await assertPortFree(port, 'PORT', 'app');
  const livekit = await ensureLiveKit(port);
  const next = runNext(appDir, [mode, '--port', String(port)], { ...process.env, ...livekit.env });
  log.info({ port, mode }, `rhizom on http://localhost:${port}`);

  const forward = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'shutting down');
    next.child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  try {
    return await next.exited;
  } finally {
    process.off('SIGINT', forward);
    process.off('SIGTERM', forward);
    await livekit.close?.();
  }
}
