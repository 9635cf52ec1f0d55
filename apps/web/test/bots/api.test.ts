import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beings, intentions, syncEvents } from '../../src/db/schema/index.ts';
import { SEED_BOT_ID, SEED_SPACE_ID } from '../../src/domain/seed.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';
import { type ProviderServer, startProviderServer } from './provider-server.ts';
import { eventually } from './support.ts';

const secret = 'sk-test-never-shown-0123456789';

describe.each(databaseKinds)('bot API on %s', (kind) => {
  let runtime: TestRuntime;
  let server: ProviderServer;
  let ada: TestUser;
  let mallory: TestUser;
  let spaceId: string;
  let botId: string;

  beforeAll(async () => {
    server = await startProviderServer();
    // No BOT_* from the machine running the tests: this is "a fresh start with no configuration".
    runtime = await testRuntime(kind, {
      bots: {
        env: { providerUrl: null, apiKey: null, allowPrivateUrls: true, idleTimeoutMs: 2_000 },
        offlineChunkDelayMs: 1,
        updateIntervalMs: 20,
      },
    });
    ada = await signUp(runtime, 'Ada');
    mallory = await signInAsGuest(runtime, 'Mallory');
    spaceId = (await ada.api.being.create({ name: 'Workshop', type: 'space' })).id;
    botId = (await ada.api.being.create({ name: 'Scribe', type: 'bot', locationId: spaceId })).id;
  });
  afterAll(async () => {
    await runtime?.dispose();
    await server?.close();
  });

  async function replyTo(triggerId: string) {
    await runtime.bots.runner.idle();
    const rows = await runtime.db.select().from(intentions);
    return rows.find((row) => row.properties.replyTo === triggerId);
  }

  it('answers a post in the seeded space with the offline bot, through the real post path', async () => {
    const post = await mallory.api.intention.createUtterance({
      spaceId: SEED_SPACE_ID,
      content: 'Hello, anyone?',
    });
    const reply = await eventually('the assistant reply', () => replyTo(post.id));
    expect(reply).toMatchObject({ ownerId: SEED_BOT_ID, state: 'complete' });
    expect(reply.properties).toMatchObject({ offline: true, replyToAuthor: mallory.actor.beingId });
    expect(reply.content).toContain('Thanks, Mallory — I read your message (2 words).');
    const listed = await mallory.api.intention.list({ spaceId: SEED_SPACE_ID });
    expect(listed.items.map((item) => item.id)).toContain(reply.id);
  });

  it('answers a new message once and never its edit', async () => {
    const post = await mallory.api.intention.createUtterance({ spaceId: SEED_SPACE_ID, content: 'Hi there' });
    await eventually('the assistant reply', () => replyTo(post.id));
    await mallory.api.intention.editUtterance({ id: post.id, content: 'Hi there, edited' });
    await runtime.bots.runner.idle();
    const replies = (await runtime.db.select().from(intentions)).filter(
      (row) => row.properties.replyTo === post.id && row.ownerId === SEED_BOT_ID,
    );
    expect(replies).toHaveLength(1);
  });

  it('lets the owner configure model, prompt, provider and key, and never returns the key', async () => {
    const updated = await ada.api.bot.updateSettings({
      botId,
      providerUrl: server.url,
      model: 'test-model',
      systemPrompt: 'Answer in one line.',
    });
    expect(updated).toMatchObject({
      botId,
      hasKey: false,
      settings: { providerUrl: server.url, model: 'test-model', systemPrompt: 'Answer in one line.' },
      provider: { label: `${new URL(server.url).host} · test-model`, offline: false },
    });
    expect(await ada.api.bot.setKey({ botId, apiKey: secret })).toEqual({ botId, hasKey: true });
    expect((await ada.api.bot.settings({ botId })).hasKey).toBe(true);

    server.behave({ kind: 'stream', tokens: ['Noted', '.'] });
    const before = server.requests.length;
    const post = await ada.api.intention.createUtterance({ spaceId, content: 'Write this down.' });
    expect((await replyTo(post.id))?.content).toBe('Noted.');
    // The key is used where it belongs: in the request to the provider ...
    expect(server.requests[before]?.authorization).toBe(`Bearer ${secret}`);
    expect(server.requests[before]?.body.messages?.[0]).toEqual({
      role: 'system',
      content: 'Answer in one line.',
    });

    // ... and nowhere a client can read.
    const visitor = await anonymousApi(runtime);
    const answers = [
      await ada.api.bot.settings({ botId }),
      await ada.api.being.get({ id: botId }),
      await visitor.being.get({ id: botId }),
      await mallory.api.being.listInLocation({ locationId: spaceId }),
      await mallory.api.being.search({ query: 'Scribe' }),
      await ada.api.being.me(),
      await mallory.api.intention.list({ spaceId }),
      await runtime.db.select().from(syncEvents),
      await runtime.db.select().from(beings),
    ];
    expect(JSON.stringify(answers)).not.toContain(secret);

    expect(await ada.api.bot.setKey({ botId, apiKey: null })).toEqual({ botId, hasKey: false });
  });

  it('refuses every change and every read of settings to anyone but the owner', async () => {
    const before = await ada.api.bot.settings({ botId });
    await expect(mallory.api.bot.settings({ botId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(mallory.api.bot.updateSettings({ botId, model: 'evil' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: `Only the owner of ${botId} can see and change its settings.`,
    });
    await expect(mallory.api.bot.setKey({ botId, apiKey: 'sk-mallory' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      mallory.api.being.update({
        id: botId,
        properties: { bot: { providerUrl: 'https://evil.example/v1' } },
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The seeded assistant belongs to no one: only a superuser may configure it.
    await expect(ada.api.bot.updateSettings({ botId: SEED_BOT_ID, model: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const visitor = await anonymousApi(runtime);
    await expect(visitor.bot.updateSettings({ botId, model: 'x' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await ada.api.bot.settings({ botId })).toEqual(before);
  });

  it('explains bad settings and keeps the old ones', async () => {
    const before = await ada.api.bot.settings({ botId });
    await expect(ada.api.bot.updateSettings({ botId, providerUrl: 'not a url' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('The provider URL must be a full URL'),
    });
    await expect(
      ada.api.bot.updateSettings({ botId, providerUrl: 'ftp://files.example/v1' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('http:// or https://'),
    });
    await expect(ada.api.bot.updateSettings({ botId, systemPrompt: 'x'.repeat(8001) })).rejects.toMatchObject(
      {
        code: 'BAD_REQUEST',
        message: expect.stringContaining('at most 8,000 characters'),
      },
    );
    await expect(ada.api.bot.updateSettings({ botId, repliesPerMinute: 0 })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(ada.api.bot.updateSettings({ botId: spaceId, model: 'm' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: `${spaceId} is a space, not a bot.`,
    });
    await expect(ada.api.bot.setKey({ botId, apiKey: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(ada.api.bot.settings({ botId: '@nobody-here' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await ada.api.bot.settings({ botId })).toEqual(before);
  });

  it('lets only the author of the message stop a reply in progress', async () => {
    server.behave({ kind: 'endless', delayMs: 5 });
    const post = await ada.api.intention.createUtterance({ spaceId, content: 'Go on and on.' });
    const reply = await eventually('a reply with text', async () => {
      const rows = await runtime.db.select().from(intentions);
      const row = rows.find((r) => r.properties.replyTo === post.id);
      return row && row.content.length > 0 ? row : undefined;
    });
    await expect(mallory.api.bot.cancelReply({ replyId: reply.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only the author of the message this reply answers can stop it.',
    });
    expect(await ada.api.bot.cancelReply({ replyId: reply.id })).toEqual({
      replyId: reply.id,
      state: 'cancelled',
    });
    const stopped = await replyTo(post.id);
    expect(stopped).toMatchObject({ state: 'cancelled', properties: { error: 'Stopped by Ada.' } });
    await expect(ada.api.bot.cancelReply({ replyId: reply.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(ada.api.bot.cancelReply({ replyId: post.id })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('stops a reply that another app process is streaming', async () => {
    const post = await ada.api.intention.createUtterance({ spaceId: SEED_SPACE_ID, content: 'elsewhere' });
    await runtime.bots.runner.idle();
    // A reply this process does not run, as another process sharing the database would have written it.
    const replyId = await runtime.bots.store.createReply({
      botId,
      spaceId: SEED_SPACE_ID,
      replyTo: post.id,
      provider: { label: 'elsewhere', offline: false },
    });
    await runtime.domain.intentions.update(replyId, { content: 'partial' });
    await ada.api.bot.cancelReply({ replyId });
    const [row] = (await runtime.db.select().from(intentions)).filter((r) => r.id === replyId);
    expect(row).toMatchObject({
      state: 'cancelled',
      content: 'partial',
      properties: { errorCode: 'cancelled' },
    });
    // That process's next write sees the reply is no longer active and stops.
    expect(await runtime.bots.store.appendToReply(replyId, ' and more')).toBe(false);
  });
});
