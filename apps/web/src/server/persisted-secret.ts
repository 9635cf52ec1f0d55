import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A random value made on first start and kept in `<dataDir>/<file>` (owner-readable only), so whatever it
 * signs survives restarts. If two processes race, the first write wins and both use it.
 */
export function persistedSecret(
  dataDir: string,
  file: string,
  make: () => string = () => randomBytes(32).toString('base64url'),
): string {
  const path = join(dataDir, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = make();
  try {
    writeFileSync(path, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(path, 'utf8').trim();
    throw error;
  }
  return secret;
}
