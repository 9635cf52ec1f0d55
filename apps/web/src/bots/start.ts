import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { type Domain, LIMITS } from '../domain/index.ts';
import { createDomainBotStore } from './domain-store.ts';
import type { BotEnv } from './env.ts';
import { type BotRunner, type BotRunnerOptions, createBotRunner } from './runner.ts';
import type { BotStore } from './store.ts';

/** Knobs tests and operators may set beyond the environment. */
export type BotOptions = Partial<Omit<BotRunnerOptions, 'store' | 'logger' | 'exclusiveDatabase' | 'env'>> & {
  /** Over the configuration's `bots`. */
  env?: Partial<BotEnv>;
  /** False: bots stay silent (suites that count rows and events of their own writes). Default true. */
  enabled?: boolean;
};

export interface Bots {
  env: BotEnv;
  runner: BotRunner;
  store: BotStore;
  /** Fire-and-log: a committed utterance; bots in its space queue their replies. */
  onUtterance(utterance: { id: string; locationId: string; ownerId: string }): void;
  close(): Promise<void>;
}

/**
 * Starts the bot runner of this app process with its configuration (BOT_*), fails replies a crash
 * left `active`, and returns the hooks the runtime wires (utterances in, close at shutdown).
 */
export async function startBots(
  options: { db: Database; domain: Domain; logger: Logger; exclusiveDatabase: boolean; env: BotEnv } & Omit<
    BotOptions,
    'env'
  >,
): Promise<Bots> {
  const { db, domain, logger, exclusiveDatabase, env, enabled = true, ...rest } = options;
  const store = createDomainBotStore({ db, domain });
  const runner = createBotRunner({
    store,
    env,
    logger,
    exclusiveDatabase,
    maxReplyChars: LIMITS.botReplyMax,
    ...rest,
  });
  if (!enabled) {
    logger.info('bots are disabled in this runtime');
    return { env, runner, store, onUtterance: () => {}, close: () => runner.close() };
  }
  const recovered = await runner.start();
  logger.info(
    { provider: env.providerUrl ?? 'offline', model: env.model, recovered, concurrency: env.concurrency },
    'bot runner started',
  );
  return {
    env,
    runner,
    store,
    onUtterance(utterance) {
      runner
        .onUtterance({ id: utterance.id, spaceId: utterance.locationId, ownerId: utterance.ownerId })
        .catch((error: unknown) =>
          logger.error({ err: error, utterance: utterance.id }, 'bot trigger failed'),
        );
    },
    close: () => runner.close(),
  };
}
