import type { Logger } from 'pino';
import { defaultBotEnv } from '../bots/env.ts';
import { type BotOptions, type Bots, startBots } from '../bots/start.ts';
import { createDatabase, type Database, type DatabaseOptions } from '../db/database.ts';
import { createDomain, type Domain } from '../domain/index.ts';
import { seed } from '../domain/seed.ts';
import { type Auth, createAuth } from './auth.ts';
import { processConfig, type RuntimeConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { createSessionCache, type SessionCache } from './session-cache.ts';
import { type Sync, startSync } from './sync.ts';
import { createWriteLimiter, defaultWriteRate, type WriteLimiter } from './write-rate.ts';

export type AuthSession = NonNullable<Awaited<ReturnType<Auth['api']['getSession']>>>;

/** Everything the app needs once per process: database, domain services, auth, background workers. */
export interface Runtime {
  config: RuntimeConfig;
  logger: Logger;
  db: Database;
  domain: Domain;
  auth: Auth;
  /** The session each request's cookies carry, through a short-lived cache (`session-cache.ts`). */
  sessions: SessionCache<AuthSession>;
  /** Live sync: catch-up, join tokens, presence; its broadcaster hears every commit. */
  sync: Sync;
  /** The bot runner: replies to utterances, settings and Stop go through it. */
  bots: Bots;
  /** Per-being write rate through the API (`write-rate.ts`). */
  writeLimiter: WriteLimiter;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  config: RuntimeConfig;
  logger?: Logger;
  /** Overrides for the database (tests use `memory://` or a throwaway PostgreSQL database). */
  database?: Pick<DatabaseOptions, 'migrationsFolder'>;
  /** Bot runner overrides beyond `config.bots` (tests: pacing, a disabled runner). */
  bots?: BotOptions;
  /** Sync broadcaster overrides (benchmarks). */
  syncBroadcast?: Parameters<typeof startSync>[0]['broadcast'];
}

/** Opens the database, applies migrations, seeds on first start and wires the services. */
export async function createRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config.logLevel);
  const database = await createDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    migrationsFolder: options.database?.migrationsFolder,
  });
  // Set once started: the domain's writes reach them through these (seeding commits before either runs).
  let sync: Sync | undefined;
  let replyingBots: Bots | undefined;
  let evictFrom: ((spaces: string[]) => void) | undefined;
  const domain = createDomain({
    db: database.db,
    logger,
    onUtterance: (utterance) => replyingBots?.onUtterance(utterance),
    onCommitted: (spaces, events) => sync?.notify(spaces, events),
    onAccessNarrowed: (spaces) => evictFrom?.(spaces),
    oneWriteAtATime: database.driver === 'pglite',
  });
  const seeded = await seed(domain.write);
  const sessions = createSessionCache<AuthSession>((headers) => auth.api.getSession({ headers }));
  const auth = createAuth({
    db: database.db,
    domain,
    secret: config.authSecret,
    baseURL: config.baseURL,
    production: config.production,
    logger,
    onSessionDeleted: (token) => sessions.forget(token),
  });
  // Background workers (sync broadcaster, bot runner) start here and are closed first, in reverse.
  const workers: { close(): Promise<void> }[] = [];
  const started = startSync({
    db: database.db,
    logger,
    livekit: config.livekit,
    retention: config.syncRetention,
    answerMaxBytes: config.syncAnswerMaxBytes,
    mayView: (beingId, space) => domain.spaces.mayView(beingId, space),
    broadcast: options.syncBroadcast,
  });
  workers.push(started);
  sync = started;
  // A token outlives a permission: whoever may no longer see a space is removed from its room.
  evictFrom = (spaces) => {
    for (const space of spaces) {
      started
        .evict(space, ({ beingId }) => domain.spaces.mayView(beingId, space))
        .catch((error: unknown) =>
          logger.error({ err: error, space }, 'could not remove connections that lost sight of a space'),
        );
    }
  };
  const bots = await startBots({
    db: database.db,
    domain,
    logger,
    exclusiveDatabase: database.driver === 'pglite',
    ...options.bots,
    env: { ...(config.bots ?? defaultBotEnv), ...options.bots?.env },
  });
  workers.push(bots);
  replyingBots = bots;
  logger.info({ driver: database.driver, seeded: seeded.created }, 'runtime ready');

  return {
    config,
    logger,
    db: database.db,
    domain,
    auth,
    sessions,
    bots,
    sync: started,
    writeLimiter: createWriteLimiter(config.writeRate ?? defaultWriteRate),
    async close() {
      for (const worker of workers.reverse()) await worker.close();
      await database.close();
    },
  };
}

const globalKey = Symbol.for('rhizom.runtime');
type GlobalWithRuntime = typeof globalThis & { [globalKey]?: Promise<Runtime> };

/**
 * The process's runtime, created on first use from the environment. Kept on globalThis so that Next.js
 * dev reloads of this module reuse it (PGlite allows one opener of its data directory per process).
 */
export function getRuntime(): Promise<Runtime> {
  const holder = globalThis as GlobalWithRuntime;
  if (!holder[globalKey]) {
    const created = createRuntime({ config: processConfig() });
    // A failed start must not stick: the next request tries again (and logs why it failed).
    created.catch(() => {
      if (holder[globalKey] === created) delete holder[globalKey];
    });
    holder[globalKey] = created;
  }
  return holder[globalKey];
}
