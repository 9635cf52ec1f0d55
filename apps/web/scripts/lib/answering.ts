import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves true once `url` answers HTTP (any status: the server is up), or false if `gaveUp` settles
 * first (the server exited). Next.js answers only after its instrumentation, which opens the database
 * and starts the runtime, has finished.
 */
export async function answering(url: string, gaveUp: Promise<unknown>, intervalMs = 250): Promise<boolean> {
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  gaveUp.then(stop, stop);
  while (!stopped) {
    try {
      const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
      return true;
    } catch {
      // Not listening yet.
    }
    await sleep(intervalMs);
  }
  return false;
}
