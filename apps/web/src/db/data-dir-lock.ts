import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt it.
 * A lock file holding the owner's pid keeps a second app (say `npm start` beside `npm run dev`) out;
 * a lock left by a process that no longer runs is taken over.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(dir, 'rhizom.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (owner === process.pid) return () => rmSync(file, { force: true });
      if (Number.isInteger(owner) && isRunning(owner)) {
        throw new DataDirInUseError(
          `The data directory ${dir} is in use by another rhizom process (pid ${owner}). Stop that process, ` +
            `or give this one its own RHIZOM_DATA_DIR or a DATABASE_URL. If no such process runs, delete ${file}.`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not lock the data directory ${dir}; delete ${file} and start again.`);
}

/** Another live process holds the data directory: starting again will not help, so the app exits. */
export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
