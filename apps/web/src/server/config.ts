import { resolve } from 'node:path';
import { positiveInt } from './env-number.ts';
import { persistedSecret } from './persisted-secret.ts';
import { defaultWriteRate, type WriteRate } from './write-rate.ts';

/**
 * The app's configuration, from the environment. Every variable is optional:
 * - `DATABASE_URL`: PostgreSQL; unset → embedded PGlite in `RHIZOM_DATA_DIR`.
 * - `RHIZOM_DATA_DIR` (default `.data` in the app folder): PGlite files, the generated auth secret and
 *   (written by `npm start`) the embedded SFU's generated API key pair.
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
  const dataDir = dataDirFromEnv(env);
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir,
    authSecret: env.BETTER_AUTH_SECRET || persistedSecret(dataDir, 'auth-secret'),
    baseURL: env.BETTER_AUTH_URL || undefined,
    production: env.NODE_ENV === 'production',
    writeRate: {
      writes: positiveInt(env, 'WRITE_RATE_LIMIT', defaultWriteRate.writes),
      windowMs: positiveInt(env, 'WRITE_RATE_WINDOW_MS', defaultWriteRate.windowMs),
    },
  };
}

/** `RHIZOM_DATA_DIR`, relative to `base` (the app folder, where Next.js runs), default `.data`. */
export function dataDirFromEnv(env: Record<string, string | undefined>, base = process.cwd()): string {
  // Chosen at run time: the build must not trace (bundle) what the directory holds.
  return resolve(/* turbopackIgnore: true */ base, env.RHIZOM_DATA_DIR || '.data');
}
