import type { Logger } from 'pino';
import type { BotOptions } from '../../src/bots/start.ts';
import type { LiveKitConfig } from '../../src/server/config.ts';
import { createRuntime, type Runtime } from '../../src/server/runtime.ts';
import type { WriteRate } from '../../src/server/write-rate.ts';
import { freshDatabase } from './database.ts';

export interface TestRuntime extends Runtime {
  /** Closes the runtime and drops its database. */
  dispose(): Promise<void>;
}

/**
 * A whole app runtime (migrated, seeded, with auth) on a fresh database of the given kind. Bots stay
 * silent unless `bots` is given: the seeded assistant would otherwise answer every post with rows and events.
 */
export async function testRuntime(
  kind: 'pglite' | 'postgres',
  options: { bots?: BotOptions; logger?: Logger; writeRate?: WriteRate; livekit?: LiveKitConfig } = {},
): Promise<TestRuntime> {
  const database = await freshDatabase(kind);
  const runtime = await createRuntime({
    bots: options.bots ?? { enabled: false },
    logger: options.logger,
    config: {
      databaseUrl: database.url,
      dataDir: database.dataDir,
      authSecret: 'test-secret-test-secret-test-secret-0123456789',
      baseURL: 'http://localhost:3000',
      production: false,
      logLevel: 'silent',
      livekit: options.livekit,
      // Suites not about the write rate make many writes as one person in a burst; hardening.test.ts sets one.
      writeRate: options.writeRate ?? { writes: 100_000, windowMs: 1_000 },
    },
  });
  return Object.assign(runtime, {
    async dispose() {
      await runtime.close();
      await database.drop();
    },
  });
}
