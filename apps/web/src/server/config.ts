import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { positiveInt } from './env-number.ts';
import { defaultWriteRate, type WriteRate } from './write-rate.ts';

/**
 * The app's configuration, from the environment. Every variable is optional:
 * - `DATABASE_URL`: PostgreSQL; unset → embedded PGlite in `RHIZOM_DATA_DIR`.
 * - `RHIZOM_DATA_DIR` (default `.data` in the app folder): PGlite files and the generated auth secret.
 * - `BETTER_AUTH_SECRET`: signs sessions; unset → generated once and kept in `<data dir>/auth-secret`.
 *   Set it in production, the same value on every app instance.
 * - `BETTER_AUTH_URL`: the public origin (e.g. https://rhizom.example); unset → taken from each request.
 * - `LOG_LEVEL`: pino level (default info).
 * - `WRITE_RATE_LIMIT` (default 30) writes per `WRITE_RATE_WINDOW_MS` (default 10000) for each being
 *   through the API (`write-rate.ts`); more are answered 429 with Retry-After.
 * The HTTP edge (client address, body limits) reads its own variables: `http/config.ts`.
 */
export interface RuntimeConfig {
  databaseUrl?: string;
  dataDir: string;
  authSecret: string;
  baseURL?: string;
  production: boolean;
  /** Unset → `defaultWriteRate`. */
  writeRate?: WriteRate;
}

export function configFromEnv(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  const dataDir = resolve(env.RHIZOM_DATA_DIR || '.data');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    authSecret: env.BETTER_AUTH_SECRET || persistedSecret(dataDir),
    baseURL: env.BETTER_AUTH_URL || undefined,
    production: env.NODE_ENV === 'production',
    writeRate: {
      writes: positiveInt(env, 'WRITE_RATE_LIMIT', defaultWriteRate.writes),
      windowMs: positiveInt(env, 'WRITE_RATE_WINDOW_MS', defaultWriteRate.windowMs),
    },
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
