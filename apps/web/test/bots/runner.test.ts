import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDomainBotStore } from '../../src/bots/domain-store.ts';
import type { BotStore } from '../../src/bots/store.ts';
import type { Actor } from '../../src/domain/index.ts';
import { SEED_BOT_ID, SEED_SPACE_ID } from '../../src/domain/seed.ts';
import { type ProviderServer, startProviderServer } from './provider-server.ts';
import { type BotWorld, eventually, type RunnerOverrides, startBotWorld } from './support.ts';

let server: ProviderServer;
let world: BotWorld;
let ada: Actor;

// One database for the file (PGlite starts in seconds); each test gets a fresh runner and its own space.
beforeAll(async () => {
  server = await startProviderServer();
  world = await startBotWorld();
  ada = await world.person('Ada');
});
afterAll(async () => {
  await world.close();
  await server.close();
});

async function startWorld(overrides: RunnerOverrides = {}) {
  await world.replaceRunner({
    ...overrides,
    env: { allowPrivateUrls: true, idleTimeoutMs: 2_000, ...overrides.env },
  });
}

/** A fresh space with one bot that talks to the loopback provider. */
async function spaceWithBot(settings: Record<string, unknown> = {}) {
  const space = await world.domain.beings.create(ada, { name: 'Lab', type: 'space' });
  const bot = await world.domain.beings.create(ada, {
    name: 'Helper',
    type: 'bot',
    locationId: space.id,
    properties: { bot: { providerUrl: server.url, model: 'test-model', ...settings } },
  });
  return { spaceId: space.id, botId: bot.id };
}

describe('bot runner on the real domain', () => {
  it('answers on a fresh start with no configuration: the offline bot, labelled, streamed, complete', async () => {
    await startWorld();
    const trigger = await world.say(ada, SEED_SPACE_ID, 'Is anyone here to talk about gardens?');
    await world.runner.idle();
    const reply = await world.replyTo(trigger);
    expect(reply?.ownerId).toBe(SEED_BOT_ID);
    expect(reply?.state).toBe('complete');
    expect(reply?.properties).toMatchObject({ offline: true, replyTo: trigger, replyToAuthor: ada.beingId });
    expect(reply?.content).toContain('Offline bot');
    expect(reply?.content).toContain('Thanks, Ada — I read your message (7 words).');
    expect(reply?.content).toContain('That is a question');
    const sent = await world.contentsSent(SEED_SPACE_ID, reply?.id ?? '');
    expect(sent[0]).toEqual({ state: 'active', content: '' });
    expect(sent.at(-1)).toEqual({ state: 'complete', content: reply?.content });
  });

  it('streams a provider reply that grows in a few coalesced updates and completes', async () => {
    await startWorld();
    const { spaceId } = await spaceWithBot();
    const tokens = Array.from({ length: 40 }, (_, i) => `word${i} `);
    server.behave({ kind: 'stream', tokens, delayMs: 5 });
    const trigger = await world.say(ada, spaceId, 'Count for me, please.');
    await world.runner.idle();
    const reply = await world.replyTo(trigger);
    expect(reply?.state).toBe('complete');
    expect(reply?.content).toBe(tokens.join(''));
    const sent = await world.contentsSent(spaceId, reply?.id ?? '');
    const growing = sent.filter((event) => event.state === 'active' && event.content !== '');
    // Clients saw the reply grow (more than one partial text), each one a prefix of the final text ...
    expect(growing.length).toBeGreaterThan(1);
    for (const event of growing) expect(tokens.join('').startsWith(event.content)).toBe(true);
    // ... in far fewer events than tokens.
    expect(sent.length).toBeLessThan(tokens.length);
  });

  it('sends the recent conversation, with names, as context', async () => {
    await startWorld();
    const { spaceId } = await spaceWithBot({ systemPrompt: 'You are terse.' });
    const grace = await world.person('Grace');
    server.behave({ kind: 'stream', tokens: ['ok'] });
    await world.say(grace, spaceId, 'The bridge opens at noon.');
    await world.runner.idle();
    const before = server.requests.length;
    await world.say(ada, spaceId, 'When does it open?');
    await world.runner.idle();
    expect(server.requests[before]?.body.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Grace: The bridge opens at noon.' },
      { role: 'assistant', content: 'ok' },
      { role: 'user', content: 'Ada: When does it open?' },
    ]);
  });

  it('leaves a failed reply with a fixed reason (not the provider text) when the provider fails mid-stream', async () => {
    await startWorld();
    const { spaceId } = await spaceWithBot();
    server.behave({ kind: 'fail-mid-stream', tokens: ['The answer is '], how: 'error-chunk' });
    const trigger = await world.say(ada, spaceId, 'What is the answer?');
    await world.runner.idle();
    const reply = await world.replyTo(trigger);
    expect(reply?.state).toBe('failed');
    expect(reply?.content).toBe('The answer is ');
    expect(reply?.properties.errorCode).toBe('provider_error');
    expect(reply?.properties.error).toContain('failed during the reply');
    expect(reply?.properties.error).not.toContain('upstream model overloaded');
  });

  it('times out a hung provider and says so', async () => {
    await startWorld({ env: { idleTimeoutMs: 300 } });
    const { spaceId } = await spaceWithBot();
    server.behave({ kind: 'hang-after-headers', tokens: ['Thinking'] });
    const trigger = await world.say(ada, spaceId, 'Hello?');
    await world.runner.idle();
    const reply = await world.replyTo(trigger);
    expect(reply?.state).toBe('failed');
    expect(reply?.content).toBe('Thinking');
    expect(reply?.properties.errorCode).toBe('timeout');
    expect(reply?.properties.error).toContain('sent nothing for 0.3 s');
  });

  it('lets the author of the message stop the reply', async () => {
    await startWorld();
    const { spaceId } = await spaceWithBot();
    server.behave({ kind: 'endless', delayMs: 5 });
    const trigger = await world.say(ada, spaceId, 'Talk forever.');
    const reply = await eventually('some streamed text', async () => {
      const row = await world.replyTo(trigger);
      return row && row.content.length > 0 ? row : undefined;
    });
    expect(world.runner.cancel(reply.id, 'Ada')).toBe(true);
    await world.runner.idle();
    const stopped = await world.replyTo(trigger);
    expect(stopped?.state).toBe('cancelled');
    expect(stopped?.properties).toMatchObject({ errorCode: 'cancelled', error: 'Stopped by Ada.' });
    expect(stopped?.content.startsWith('w0 ')).toBe(true);
  });

  it('queues replies beyond the concurrency limit, and a queued reply can be stopped before it starts', async () => {
    await startWorld({ env: { concurrency: 1 } });
    const { spaceId } = await spaceWithBot();
    await world.domain.beings.create(ada, {
      name: 'Second',
      type: 'bot',
      locationId: spaceId,
      properties: { bot: { providerUrl: server.url, model: 'test-model' } },
    });
    server.behave({ kind: 'endless', delayMs: 5 });
    const trigger = await world.say(ada, spaceId, 'Both of you, please.');
    const [first, second] = await world.replies(spaceId);
    expect([first?.state, second?.state]).toEqual(['active', 'active']);
    await eventually('the first reply streaming', async () => {
      const rows = await world.replies(spaceId);
      return rows.some((row) => row.content.length > 0) ? rows : undefined;
    });
    const rows = await world.replies(spaceId);
    const queued = rows.find((row) => row.content === '');
    const streaming = rows.find((row) => row.content !== '');
    expect(queued && streaming).toBeTruthy();
    expect(world.runner.cancel(queued?.id ?? '', 'Ada')).toBe(true);
    expect(world.runner.cancel(streaming?.id ?? '', 'Ada')).toBe(true);
    await world.runner.idle();
    const settled = await world.replies(spaceId);
    expect(settled.map((row) => [row.properties.replyTo, row.state])).toEqual([
      [trigger, 'cancelled'],
      [trigger, 'cancelled'],
    ]);
    expect(settled.find((row) => row.id === queued?.id)?.content).toBe('');
  });

  it('never answers a bot, so two bots cannot talk forever', async () => {
    await startWorld();
    const { spaceId, botId } = await spaceWithBot();
    const said = await world.domain.intentions.create({
      ownerId: botId,
      spaceId,
      content: 'beep',
      state: 'complete',
    });
    await world.runner.onUtterance({ id: said.id, spaceId, ownerId: botId });
    await world.runner.idle();
    expect(await world.replies(spaceId)).toEqual([]);
  });

  it('rate-limits per space with one visible notice, then silence', async () => {
    await startWorld({ env: { spaceRepliesPerMinute: 2 } });
    const { spaceId } = await spaceWithBot();
    server.behave({ kind: 'stream', tokens: ['ok'] });
    for (const text of ['one', 'two', 'three', 'four']) await world.say(ada, spaceId, text);
    await world.runner.idle();
    const replies = await world.replies(spaceId);
    expect(replies.map((reply) => reply.state)).toEqual(['complete', 'complete', 'failed']);
    expect(replies[2]?.properties.errorCode).toBe('rate_limited');
    expect(replies[2]?.properties.error).toMatch(
      /at most 2 messages a minute; the next answer is possible in \d+ s/,
    );
  });

  it('fails with a clear reason when the bot is misconfigured', async () => {
    await startWorld({ env: { allowPrivateUrls: false } });
    const { spaceId } = await spaceWithBot();
    const trigger = await world.say(ada, spaceId, 'hi');
    await world.runner.idle();
    const reply = await world.replyTo(trigger);
    expect(reply?.state).toBe('failed');
    expect(reply?.properties.errorCode).toBe('invalid_config');
    expect(reply?.properties.error).toContain('a private or reserved address');
  });

  it('shuts down even when a reply is stuck on a database that stopped answering; the next start ends it', async () => {
    const real = createDomainBotStore({ db: world.handle.db, domain: world.domain });
    let stuck = false;
    const hungStore: BotStore = {
      ...real,
      appendToReply: () => {
        stuck = true;
        return new Promise<boolean>(() => {});
      },
    };
    await startWorld({ runner: { store: hungStore, closeTimeoutMs: 200 } });
    const { spaceId } = await spaceWithBot();
    server.behave({ kind: 'endless', delayMs: 5 });
    const trigger = await world.say(ada, spaceId, 'Talk forever.');
    await eventually('a write that never returns', async () => stuck);
    await world.runner.close();
    expect((await world.replyTo(trigger))?.state).toBe('active');
    await startWorld();
    const reply = await world.replyTo(trigger);
    expect(reply?.state).toBe('failed');
    expect(reply?.properties.errorCode).toBe('interrupted');
  });
});
