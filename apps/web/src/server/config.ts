import { resolve } from 'node:path';
import { z } from 'zod';
import { type BotEnv, defaultBotEnv } from '../bots/env.ts';
import { type BodyLimits, defaultBodyLimits } from './http/body-limit.ts';
import { parseTrustProxy, type TrustProxy } from './http/client-address.ts';
import { persistedSecret } from './persisted-secret.ts';
import { defaultWriteRate, type WriteRate } from './write-rate.ts';

/**
 * The app's configuration: every environment variable it reads, validated once at start by one schema
 * (`configFromEnv`) and passed down as values to the database, auth, sync, bots, logger and HTTP edge.
 * Nothing else reads `process.env`. Every variable is optional; the root README lists them all.
 */
export interface RuntimeConfig {
  /** PostgreSQL; unset → embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** PGlite files, the generated auth secret and the embedded SFU's generated key pair (`RHIZOM_DATA_DIR`). */
  dataDir: string;
  authSecret: string;
  /** The public origin; unset → taken from each request. */
  baseURL?: string;
  production: boolean;
  /**
   * Whether this process closes its runtime on SIGINT/SIGTERM itself: `NEXT_MANUAL_SIG_HANDLE`, which the
   * launcher sets for `npm start` and which also tells Next.js to leave those signals to us.
   */
  handlesSignals?: boolean;
  /** pino level; unset → info. */
  logLevel?: LogLevel;
  /** Unset → `defaultWriteRate`. */
  writeRate?: WriteRate;
  /** Where sync is broadcast; unset → live broadcasting is off (catch-up still works). */
  livekit?: LiveKitConfig;
  /** How long sync events stay for catch-up; unset fields → the sync package's defaults. */
  syncRetention?: { retentionMs?: number; retentionEvents?: number };
  /** Unset → `defaultBotEnv` (the offline bot). */
  bots?: BotEnv;
  /** The HTTP edge (`http/guard.ts`); unset → no trusted proxy, `defaultBodyLimits`. */
  http?: HttpConfig;
}

/** LiveKit settings (the names every LiveKit tool uses); `publicUrl` is what browsers connect to. */
export interface LiveKitConfig {
  url: string;
  publicUrl?: string;
  apiKey: string;
  apiSecret: string;
  tokenTtlSeconds?: number;
}

export interface HttpConfig {
  trustProxy: TrustProxy;
  bodyLimits: BodyLimits;
}

export const defaultHttpConfig: HttpConfig = { trustProxy: { kind: 'none' }, bodyLimits: defaultBodyLimits };

/** What `configFromEnv` returns: every section filled in, defaults included. */
export type ParsedConfig = RuntimeConfig &
  Required<Pick<RuntimeConfig, 'writeRate' | 'syncRetention' | 'bots' | 'http'>>;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Unset and empty are the same: `FOO=` in a shell or .env file means "not set". */
const text = z
  .string()
  .optional()
  .transform((value) => value?.trim() || undefined);

function positiveInt<Fallback extends number | undefined>(fallback: Fallback) {
  const unset = fallback === undefined ? '' : ` Unset it to use ${fallback}.`;
  return text.transform((raw, context): number | Fallback => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value > 0) return value;
    context.addIssue({ code: 'custom', message: `must be a positive whole number, got "${raw}".${unset}` });
    return z.NEVER;
  });
}

const url = text.refine((value) => value === undefined || URL.canParse(value), {
  message: 'must be a URL such as https://example.com.',
});

const envSchema = z.object({
  DATABASE_URL: text,
  RHIZOM_DATA_DIR: text,
  BETTER_AUTH_SECRET: text,
  BETTER_AUTH_URL: url,
  NODE_ENV: text,
  NEXT_MANUAL_SIG_HANDLE: text,
  LOG_LEVEL: text.pipe(z.enum(logLevels, { error: `must be one of ${logLevels.join(', ')}.` }).optional()),
  WRITE_RATE_LIMIT: positiveInt(defaultWriteRate.writes),
  WRITE_RATE_WINDOW_MS: positiveInt(defaultWriteRate.windowMs),
  LIVEKIT_URL: url,
  LIVEKIT_PUBLIC_URL: url,
  LIVEKIT_API_KEY: text,
  LIVEKIT_API_SECRET: text,
  LIVEKIT_TOKEN_TTL_SECONDS: positiveInt(undefined),
  SYNC_RETENTION_MS: positiveInt(undefined),
  SYNC_RETENTION_EVENTS: positiveInt(undefined),
  BOT_PROVIDER_URL: url,
  BOT_API_KEY: text,
  BOT_MODEL: text,
  BOT_IDLE_TIMEOUT_MS: positiveInt(defaultBotEnv.idleTimeoutMs),
  BOT_MAX_REPLY_MS: positiveInt(defaultBotEnv.maxReplyMs),
  BOT_CONCURRENCY: positiveInt(defaultBotEnv.concurrency),
  BOT_SPACE_REPLIES_PER_MINUTE: positiveInt(defaultBotEnv.spaceRepliesPerMinute),
  BOT_ALLOW_PRIVATE_URLS: text,
  TRUST_PROXY: text.transform((raw, context) => {
    try {
      return parseTrustProxy(raw);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message.replace(/^TRUST_PROXY: /, '') });
      return z.NEVER;
    }
  }),
  BODY_LIMIT_TRPC: positiveInt(defaultBodyLimits.trpc),
  BODY_LIMIT_AUTH: positiveInt(defaultBodyLimits.auth),
  BODY_LIMIT_WEBHOOK: positiveInt(defaultBodyLimits.webhook),
  BODY_LIMIT_OTHER: positiveInt(defaultBodyLimits.other),
});

export type EnvVars = z.output<typeof envSchema>;

/** Checks every variable, without side effects; a bad value is a `ConfigError` naming each wrong one. */
export function parseEnv(env: Record<string, string | undefined>): EnvVars {
  const parsed = envSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new ConfigError(`The configuration is invalid; fix or unset: ${problems.join(' ')}`);
}

/**
 * The whole configuration from `env` (`parseEnv`, then defaults). Without `BETTER_AUTH_SECRET`, reads (or
 * creates once) `<dataDir>/auth-secret`.
 */
export function configFromEnv(env: Record<string, string | undefined>, base = process.cwd()): ParsedConfig {
  const vars = parseEnv(env);
  const dataDir = dataDirFrom(vars.RHIZOM_DATA_DIR, base);
  return {
    databaseUrl: vars.DATABASE_URL,
    dataDir,
    authSecret: vars.BETTER_AUTH_SECRET ?? persistedSecret(dataDir, 'auth-secret'),
    baseURL: vars.BETTER_AUTH_URL,
    production: vars.NODE_ENV === 'production',
    handlesSignals: vars.NEXT_MANUAL_SIG_HANDLE !== undefined,
    logLevel: vars.LOG_LEVEL,
    writeRate: { writes: vars.WRITE_RATE_LIMIT, windowMs: vars.WRITE_RATE_WINDOW_MS },
    livekit: liveKitFrom(vars),
    syncRetention: { retentionMs: vars.SYNC_RETENTION_MS, retentionEvents: vars.SYNC_RETENTION_EVENTS },
    bots: {
      providerUrl: vars.BOT_PROVIDER_URL ?? null,
      apiKey: vars.BOT_API_KEY ?? null,
      model: vars.BOT_MODEL ?? defaultBotEnv.model,
      idleTimeoutMs: vars.BOT_IDLE_TIMEOUT_MS,
      maxReplyMs: vars.BOT_MAX_REPLY_MS,
      concurrency: vars.BOT_CONCURRENCY,
      spaceRepliesPerMinute: vars.BOT_SPACE_REPLIES_PER_MINUTE,
      allowPrivateUrls: /^(1|true|yes)$/i.test(vars.BOT_ALLOW_PRIVATE_URLS ?? ''),
    },
    http: {
      trustProxy: vars.TRUST_PROXY,
      bodyLimits: {
        trpc: vars.BODY_LIMIT_TRPC,
        auth: vars.BODY_LIMIT_AUTH,
        webhook: vars.BODY_LIMIT_WEBHOOK,
        other: vars.BODY_LIMIT_OTHER,
      },
    },
  };
}

/** Unset `LIVEKIT_URL` → undefined; set, it needs its key pair. */
export function liveKitFrom(vars: EnvVars): LiveKitConfig | undefined {
  if (!vars.LIVEKIT_URL) return undefined;
  if (!vars.LIVEKIT_API_KEY || !vars.LIVEKIT_API_SECRET) {
    throw new ConfigError(
      'LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too (or unset LIVEKIT_URL).',
    );
  }
  return {
    url: vars.LIVEKIT_URL,
    publicUrl: vars.LIVEKIT_PUBLIC_URL,
    apiKey: vars.LIVEKIT_API_KEY,
    apiSecret: vars.LIVEKIT_API_SECRET,
    tokenTtlSeconds: vars.LIVEKIT_TOKEN_TTL_SECONDS,
  };
}

/** `RHIZOM_DATA_DIR`, relative to `base` (the app folder, where Next.js runs), default `.data`. */
export function dataDirFrom(raw: string | undefined, base: string): string {
  // Chosen at run time: the build must not trace (bundle) what the directory holds.
  return resolve(/* turbopackIgnore: true */ base, raw || '.data');
}

const globalKey = Symbol.for('rhizom.config');
type GlobalWithConfig = typeof globalThis & { [globalKey]?: RuntimeConfig };

/**
 * The process's configuration, parsed from the environment on first use and kept on globalThis, so the
 * HTTP server (`scripts/serve.ts`) and the Next.js bundle it loads share one parse. The only reader of
 * `process.env` in the app.
 */
export function processConfig(): RuntimeConfig {
  const holder = globalThis as GlobalWithConfig;
  holder[globalKey] ??= configFromEnv(process.env);
  return holder[globalKey];
}
