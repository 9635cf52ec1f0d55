import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One lock per checkout: each has its own `.next`, and other checkouts' servers must not hold this one up. */
const LOCK_FILE = join(
  tmpdir(),
  `rhizom-web-build-${createHash('sha256')
    .update(fileURLToPath(new URL('../..', import.meta.url)))
    .digest('hex')
    .slice(0, 12)}.lock`,
);

/**
 * A lock on the checkout's `.next`: builds take it exclusively, running test servers share it, so a
 * parallel test run never rebuilds under a server that is serving. flock(1) locks our open file
 * description, so the lock lasts until the returned release closes it.
 */
export async function lockBuild(mode: 'shared' | 'exclusive'): Promise<() => void> {
  const fd = openSync(LOCK_FILE, 'a');
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('flock', [mode === 'shared' ? '--shared' : '--exclusive', '3'], {
        stdio: ['ignore', 'ignore', 'inherit', fd],
      });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`flock exited with ${code}`))));
    });
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return () => closeSync(fd);
}
