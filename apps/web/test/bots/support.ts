import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { createDomainBotStore } from '../../src/bots/domain-store.ts';
import { type BotEnv, defaultBotEnv } from '../../src/bots/env.ts';
import { type BotRunner, createBotRunner } from '../../src/bots/runner.ts';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { intentions, syncEvents, users } from '../../src/db/schema/index.ts';
import { type Actor, createDomain, type Domain, LIMITS } from '../../src/domain/index.ts';
import { seed } from '../../src/domain/seed.ts';

/** A real domain on PGlite (in memory, or in `dataDir` to survive a simulated crash) with a bot runner. */
export interface BotWorld {
  handle: DatabaseHandle;
  domain: Domain;
  /** The current runner; `replaceRunner` replaces it (closing the previous one) with other settings. */
  runner: BotRunner;
  replaceRunner(options?: RunnerOverrides): Promise<BotRunner>;
  person(name: string): Promise<Actor>;
  /** A person posts; the runner hears it the way the app wires it (after the write commits). */
  say(actor: Actor, spaceId: string, content: string): Promise<string>;
  replyTo(triggerId: string): Promise<typeof intentions.$inferSelect | undefined>;
  replies(spaceId: string): Promise<Array<typeof intentions.$inferSelect>>;
  /** Every content the clients of the space were sent for one intention, in order. */
  contentsSent(spaceId: string, intentionId: string): Promise<Array<{ state: string; content: string }>>;
  close(): Promise<void>;
}

export const silent = pino({ level: 'silent' });

export interface RunnerOverrides {
  env?: Partial<BotEnv>;
  runner?: Partial<Parameters<typeof createBotRunner>[0]>;
}

export async function startBotWorld(options: RunnerOverrides & { dataDir?: string } = {}): Promise<BotWorld> {
  const handle = await createDatabase({ dataDir: options.dataDir ?? 'memory://' });
  const domain = createDomain({ db: handle.db, logger: silent });
  await seed(domain.write);
  const makeRunner = async (overrides: RunnerOverrides) => {
    const env: BotEnv = { ...defaultBotEnv, ...overrides.env };
    const runner = createBotRunner({
      store: createDomainBotStore({ db: handle.db, domain }),
      env,
      logger: silent,
      exclusiveDatabase: true,
      offlineChunkDelayMs: 1,
      updateIntervalMs: 20,
      maxReplyChars: LIMITS.botReplyMax,
      ...overrides.runner,
    });
    await runner.start();
    return runner;
  };
  const { db } = handle;

  const world: BotWorld = {
    handle,
    domain,
    runner: await makeRunner(options),
    async replaceRunner(overrides = {}) {
      await world.runner.close();
      world.runner = await makeRunner(overrides);
      return world.runner;
    },
    async person(name) {
      const id = randomUUID();
      await db.insert(users).values({ id, name, email: `${id}@example.test` });
      await domain.users.ensureBeing(id);
      return domain.users.actorFor(id);
    },
    async say(actor, spaceId, content) {
      const utterance = await domain.intentions.createUtterance(actor, { spaceId, content });
      await world.runner.onUtterance({ id: utterance.id, spaceId, ownerId: utterance.ownerId });
      return utterance.id;
    },
    async replyTo(triggerId) {
      const rows = await db.select().from(intentions).orderBy(asc(intentions.createdAt));
      return rows.find((row) => row.properties.replyTo === triggerId);
    },
    async replies(spaceId) {
      const rows = await db
        .select()
        .from(intentions)
        .where(eq(intentions.locationId, spaceId))
        .orderBy(asc(intentions.createdAt));
      return rows.filter((row) => typeof row.properties.replyTo === 'string');
    },
    async contentsSent(spaceId, intentionId) {
      const rows = await db
        .select()
        .from(syncEvents)
        .where(eq(syncEvents.spaceId, spaceId))
        .orderBy(asc(syncEvents.seq));
      // What a client holds after each event about this reply: upserts replace, appends extend.
      const seen: Array<{ state: string; content: string }> = [];
      for (const row of rows) {
        const entity = row.entity as { id: string; state: string; content?: string; text?: string };
        if (entity.id !== intentionId) continue;
        if (row.type === 'intention.upsert')
          seen.push({ state: entity.state, content: entity.content ?? '' });
        if (row.type === 'intention.append')
          seen.push({ state: entity.state, content: (seen.at(-1)?.content ?? '') + (entity.text ?? '') });
      }
      return seen;
    },
    async close() {
      await world.runner.close();
      await handle.close();
    },
  };
  return world;
}

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'rhizom-bots-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Wait for a condition the system reaches by itself; fails with `what` if it does not. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
): Promise<T> {
  for (let attempt = 0; attempt < 400; attempt++) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
