import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

const LOCK_FILE = '/tmp/rhizom-web-build.lock';

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
