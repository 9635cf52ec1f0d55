import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beings, intentions, syncEvents } from '../../src/db/schema/index.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signInAsGuest, signUp, type TestUser } from '../support/users.ts';
import { type ProviderServer, startProviderServer } from './provider-server.ts';
import { eventually } from './support.ts';

/**
 * A bot sends the conversation to a provider its owner chose, so it answers only where its owner may
 * read: when the owner loses sight of a space, the bot leaves it, and a reply that was waiting is
 * checked again as it starts. The provider is a real HTTP server on loopback.
 */
describe.each(databaseKinds)('a bot whose owner lost sight of a space, on %s', (kind) => {
  let runtime: TestRuntime;
  let provider: ProviderServer;
  let ada: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    provider = await startProviderServer();
    runtime = await testRuntime(kind, {
      bots: {
        env: {
          providerUrl: null,
          apiKey: null,
          allowPrivateUrls: true,
          idleTimeoutMs: 5_000,
          concurrency: 1,
        },
        updateIntervalMs: 20,
      },
    });
    ada = await signUp(runtime, 'Ada');
    bob = await signInAsGuest(runtime, 'Bob');
  });
  afterAll(async () => {
    await runtime?.dispose();
    await provider?.close();
  });

  /** Bob's bot in `spaceId`, answering through the test provider. */
  async function bobsBot(spaceId: string, name: string): Promise<string> {
    const botId = (await bob.api.being.create({ name, type: 'bot', locationId: spaceId })).id;
    await bob.api.bot.updateSettings({ botId, providerUrl: provider.url, model: 'test-model' });
    await bob.api.bot.setKey({ botId, apiKey: 'sk-bob-0123456789' });
    return botId;
  }

  const sentToProvider = () =>
    provider.requests.flatMap((request) => request.body.messages?.map((message) => message.content) ?? []);

  const locationOf = async (id: string) =>
    (await runtime.db.select({ locationId: beings.locationId }).from(beings).where(eq(beings.id, id)))[0]
      ?.locationId;

  it('a removed member’s bot leaves the private space; the provider gets nothing written after', async () => {
    provider.behave({ kind: 'stream', tokens: ['Seen', '.'] });
    const space = (await ada.api.being.create({ name: 'Council', type: 'space', visibility: 'private' })).id;
    await ada.api.space.addMember({ spaceId: space, beingId: bob.actor.beingId });
    const botId = await bobsBot(space, 'Listener');

    await ada.api.intention.createUtterance({ spaceId: space, content: 'Before: the agenda.' });
    await runtime.bots.runner.idle();
    expect(sentToProvider().some((text) => text.includes('Before: the agenda.'))).toBe(true);

    const eventsOf = async () =>
      (await runtime.db.select().from(syncEvents).where(eq(syncEvents.spaceId, space))).sort(
        (a, b) => a.seq - b.seq,
      );
    const before = (await eventsOf()).length;
    await ada.api.space.removeMember({ spaceId: space, beingId: bob.actor.beingId });
    expect(await locationOf(botId)).toBeNull();
    // Those who stay see Bob's membership end and his bot go, as two more events of the space.
    expect((await eventsOf()).slice(before).map((event) => [event.type, event.entity.id])).toEqual([
      ['member.remove', bob.actor.beingId],
      ['being.remove', botId],
    ]);

    await ada.api.intention.createUtterance({ spaceId: space, content: 'After: the verdict is secret.' });
    await runtime.bots.runner.idle();
    expect(sentToProvider().join('\n')).not.toContain('After: the verdict is secret.');
  });

  it('someone else’s bot leaves a public space that goes private', async () => {
    provider.behave({ kind: 'stream', tokens: ['Ok'] });
    const space = (await ada.api.being.create({ name: 'Forum', type: 'space' })).id;
    const botId = await bobsBot(space, 'Guest bot');
    await ada.api.being.update({ id: space, visibility: 'private' });
    expect(await locationOf(botId)).toBeNull();
    await ada.api.intention.createUtterance({ spaceId: space, content: 'Now only mine: plans.' });
    await runtime.bots.runner.idle();
    expect(sentToProvider().join('\n')).not.toContain('Now only mine: plans.');
  });

  it('a bot in a public space inside a private one leaves it when its owner is removed from the outer space', async () => {
    provider.behave({ kind: 'stream', tokens: ['Ok'] });
    const outer = (await ada.api.being.create({ name: 'Estate', type: 'space', visibility: 'private' })).id;
    const inner = (await ada.api.being.create({ name: 'Garden', type: 'space', locationId: outer })).id;
    await ada.api.space.addMember({ spaceId: outer, beingId: bob.actor.beingId });
    const botId = await bobsBot(inner, 'Gardener');
    await ada.api.space.removeMember({ spaceId: outer, beingId: bob.actor.beingId });
    expect(await locationOf(botId)).toBeNull();
    await ada.api.intention.createUtterance({ spaceId: inner, content: 'Behind the wall: the key.' });
    await runtime.bots.runner.idle();
    expect(sentToProvider().join('\n')).not.toContain('Behind the wall: the key.');
  });

  it('a reply that was queued when its owner lost sight is not generated when it starts', async () => {
    const space = (await ada.api.being.create({ name: 'Queue', type: 'space', visibility: 'private' })).id;
    await ada.api.space.addMember({ spaceId: space, beingId: bob.actor.beingId });
    const botId = await bobsBot(space, 'Slow one');
    // One reply at a time: the first holds the only slot, the second waits in the queue.
    provider.behave({ kind: 'endless', delayMs: 50 });
    const first = await ada.api.intention.createUtterance({ spaceId: space, content: 'First question.' });
    const reply = async (to: string) =>
      (await runtime.db.select().from(intentions).where(eq(intentions.locationId, space))).find(
        (row) => row.properties.replyTo === to,
      );
    const running = await eventually('the first reply', () => reply(first.id));
    const second = await ada.api.intention.createUtterance({ spaceId: space, content: 'Second question.' });
    const queued = await eventually('the queued reply', () => reply(second.id));

    await ada.api.space.removeMember({ spaceId: space, beingId: bob.actor.beingId });
    await ada.api.intention.createUtterance({ spaceId: space, content: 'Written after the removal.' });
    provider.behave({ kind: 'stream', tokens: ['Too', ' late'] });
    runtime.bots.runner.cancel(running.id, 'Ada');
    await runtime.bots.runner.idle();

    expect(sentToProvider().join('\n')).not.toContain('Written after the removal.');
    expect(await reply(second.id)).toMatchObject({ id: queued.id, state: 'cancelled', content: '' });
    expect(await locationOf(botId)).toBeNull();
  });
});
