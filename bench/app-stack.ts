import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startSfu } from '@rhizom/sfu';
import type { Actor } from '@rhizom/web/domain';
import { createRuntime, type Runtime, type RuntimeOptions } from '@rhizom/web/runtime';
import { users } from '@rhizom/web/schema';
import type { Logger } from 'pino';
import { startChild } from './child-process.ts';

export interface AppStack {
  runtime: Runtime;
  /** A signed-up person the bench writes as. */
  actor: Actor;
  /** Where the embedded SFU listens, and the key pair it accepts. */
  livekit: { url: string; apiKey: string; apiSecret: string };
  close(): Promise<void>;
}

const API_KEY = 'benchkey';
const API_SECRET = 'bench-secret-bench-secret-bench-secret';

/**
 * The app as a bench measures it, all in this process: our SFU on a free loopback port, the runtime on
 * in-memory PGlite (or the PostgreSQL database given) with its migrations, sending sync over that SFU, and one person to write as.
 */
export async function startAppStack(options: {
  logger: Logger;
  bots?: RuntimeOptions['bots'];
  /** A postgres:// URL of an empty database; in-memory PGlite without it. */
  databaseUrl?: string;
  syncBroadcast?: RuntimeOptions['syncBroadcast'];
  /** Run the SFU in a process of its own (`sfu-process.ts`), as LiveKit runs apart from the app. */
  sfuProcess?: boolean;
}): Promise<AppStack> {
  const sfu = options.sfuProcess
    ? await startChild(new URL('./sfu-process.ts', import.meta.url), {
        BENCH_KEYS: JSON.stringify({ [API_KEY]: API_SECRET }),
      })
    : await startSfu({
        port: 0,
        keys: { [API_KEY]: API_SECRET },
        logger: options.logger,
        rtc: { bindAddress: '127.0.0.1' },
        metrics: false,
      });
  const runtime = await createRuntime({
    config: {
      dataDir: 'memory://',
      databaseUrl: options.databaseUrl,
      authSecret: randomUUID() + randomUUID(),
      production: false,
      livekit: { url: sfu.url, apiKey: API_KEY, apiSecret: API_SECRET },
    },
    logger: options.logger,
    database: { migrationsFolder: fileURLToPath(new URL('../apps/web/drizzle', import.meta.url)) },
    bots: options.bots,
    syncBroadcast: options.syncBroadcast,
  });
  const userId = randomUUID();
  await runtime.db.insert(users).values({ id: userId, name: 'Ada', email: `${userId}@bench.test` });
  const actor = await runtime.domain.users.actorFor(userId);
  return {
    runtime,
    actor,
    livekit: { url: sfu.url, apiKey: API_KEY, apiSecret: API_SECRET },
    close: async () => {
      await runtime.close();
      await sfu.close();
    },
  };
}
