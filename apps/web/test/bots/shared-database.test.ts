import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomainBotStore } from '../../src/bots/domain-store.ts';
import { defaultBotEnv } from '../../src/bots/env.ts';
import { createBotRunner } from '../../src/bots/runner.ts';
import { intentions } from '../../src/db/schema/index.ts';
import { LIMITS } from '../../src/domain/index.ts';
import { SEED_BOT_ID, SEED_SPACE_ID } from '../../src/domain/seed.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signUp } from '../support/users.ts';
import { silent } from './support.ts';

/**
 * Several app processes may share one PostgreSQL: a starting process must not fail the replies another
 * live process is writing, only those too old to have anyone behind them.
 */
describe.each(databaseKinds)('abandoned replies on a shared %s database', (kind) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await testRuntime(kind);
  });
  afterAll(async () => runtime?.dispose());

  const stateOf = async (id: string) =>
    (await runtime.db.select().from(intentions).where(eq(intentions.id, id)))[0];

  function runnerOfAnotherProcess(staleAfterMs: number) {
    return createBotRunner({
      store: createDomainBotStore({ db: runtime.db, domain: runtime.domain }),
      env: defaultBotEnv,
      logger: silent,
      exclusiveDatabase: false,
      staleAfterMs,
      maxReplyChars: LIMITS.botReplyMax,
    });
  }

  it('keeps a young active reply and fails one older than a job can live', async () => {
    const ada = await signUp(runtime, 'Ada');
    const trigger = await ada.api.intention.createUtterance({ spaceId: SEED_SPACE_ID, content: 'hello' });
    const replyId = await runtime.bots.store.createReply({
      botId: SEED_BOT_ID,
      spaceId: SEED_SPACE_ID,
      replyTo: trigger.id,
      provider: { label: 'another process', offline: false },
    });

    const cautious = runnerOfAnotherProcess(60_000);
    expect(await cautious.start()).toBe(0);
    expect((await stateOf(replyId))?.state).toBe('active');
    await cautious.close();

    await new Promise((resolve) => setTimeout(resolve, 20));
    const sweeping = runnerOfAnotherProcess(10);
    expect(await sweeping.start()).toBe(1);
    await sweeping.close();
    const reply = await stateOf(replyId);
    expect(reply?.state).toBe('failed');
    expect(reply?.properties).toMatchObject({ errorCode: 'interrupted', replyTo: trigger.id });
  });
});
