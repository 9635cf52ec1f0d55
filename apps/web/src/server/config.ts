import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The app's configuration, from the environment. Every variable is optional:
 * - `DATABASE_URL`: PostgreSQL; unset → embedded PGlite in `RHIZOM_DATA_DIR`.
 * - `RHIZOM_DATA_DIR` (default `.data` in the app folder): PGlite files and the generated auth secret.
 * - `BETTER_AUTH_SECRET`: signs sessions; unset → generated once and kept in `<data dir>/auth-secret`.
 *   Set it in production, the same value on every app instance.
 * - `BETTER_AUTH_URL`: the public origin (e.g. https://rhizom.example); unset → taken from each request.
 * - `LOG_LEVEL`: pino level (default info).
 */
export interface RuntimeConfig {
  databaseUrl?: string;
  dataDir: string;
  authSecret: string;
  baseURL?: string;
  production: boolean;
}

export function configFromEnv(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  // Chosen at run time: the build must not trace (bundle) what the directory holds.
  const dataDir = resolve(/* turbopackIgnore: true */ env.RHIZOM_DATA_DIR || '.data');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    authSecret: env.BETTER_AUTH_SECRET || persistedSecret(dataDir),
    baseURL: env.BETTER_AUTH_URL || undefined,
    production: env.NODE_ENV === 'production',
  };
}

/** A random secret made on first start and kept (owner-readable only) so sessions survive restarts. */
function persistedSecret(dataDir: string): string {
  const file = join(dataDir, 'auth-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process wrote it first: use theirs, so both sign sessions alike.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw error;
  }
  return secret;
}
