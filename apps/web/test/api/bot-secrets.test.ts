import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botSecrets } from '../../src/db/schema/index.ts';
import { SEED_BOT_ID } from '../../src/domain/seed.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, signUp, type TestUser } from '../support/users.ts';

const KEY = 'sk-test-THIS-MUST-NEVER-LEAVE-THE-SERVER';

describe.each(databaseKinds)('bot API keys on %s', (kind) => {
  let runtime: TestRuntime;
  let ada: TestUser;
  let bob: TestUser;
  let botId: string;
  let spaceId: string;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    ada = await signUp(runtime, 'Ada');
    bob = await signUp(runtime, 'Bob');
    spaceId = (await ada.api.being.create({ name: 'Workshop', type: 'space' })).id;
    botId = (await ada.api.being.create({ name: 'Helper', type: 'bot', locationId: spaceId })).id;
  });
  afterAll(async () => runtime?.dispose());

  it('are write-only: the owner sets one, and no query returns it', async () => {
    await expect(runtime.domain.botSecrets.setApiKey(ada.actor, { botId, apiKey: KEY })).resolves.toEqual({
      botId,
      hasApiKey: true,
    });
    const visitor = await anonymousApi(runtime);
    const outputs = [
      await ada.api.being.get({ id: botId }),
      await bob.api.being.get({ id: botId }),
      await visitor.being.get({ id: botId }),
      await ada.api.being.listInLocation({ locationId: spaceId }),
      await ada.api.being.search({ query: 'Helper' }),
      await ada.api.space.members({ spaceId }),
      await runtime.domain.botSecrets.hasApiKey(bob.actor, botId),
    ];
    const seen = JSON.stringify(outputs);
    expect(seen).toContain(botId);
    expect(seen).not.toContain(KEY);
    expect(outputs.at(-1)).toBe(true);
    // The outbox carries the same public projections: no key there either.
    const events = JSON.stringify(await runtime.db.select().from(runtime.db._.fullSchema.syncEvents));
    expect(events).not.toContain(KEY);
    // Only server-side code reads it.
    expect(await runtime.domain.botSecrets.readApiKey(botId)).toBe(KEY);
  });

  it("refuses someone else's key change, a non-bot, and callers without a session", async () => {
    await expect(
      runtime.domain.botSecrets.setApiKey(bob.actor, { botId, apiKey: 'sk-bob' }),
    ).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      runtime.domain.botSecrets.setApiKey(bob.actor, { botId: SEED_BOT_ID, apiKey: 'sk-bob' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      runtime.domain.botSecrets.setApiKey(ada.actor, { botId: spaceId, apiKey: 'sk-ada' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('not a bot') });
    await expect(
      runtime.domain.botSecrets.setApiKey(null, { botId, apiKey: 'sk-anon' }),
    ).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(
      runtime.domain.botSecrets.setApiKey(ada.actor, { botId, apiKey: '  ' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    expect(await runtime.domain.botSecrets.readApiKey(botId)).toBe(KEY);
  });

  it('can be removed by the owner, and go with the bot', async () => {
    await runtime.domain.botSecrets.setApiKey(ada.actor, { botId, apiKey: null });
    expect(await runtime.domain.botSecrets.hasApiKey(ada.actor, botId)).toBe(false);
    await runtime.domain.botSecrets.setApiKey(ada.actor, { botId, apiKey: KEY });
    await ada.api.being.delete({ id: botId });
    expect(await runtime.db.select().from(botSecrets)).toEqual([]);
  });
});
