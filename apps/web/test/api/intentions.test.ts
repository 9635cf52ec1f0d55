import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentions } from '../../src/db/schema/index.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { databaseKinds } from '../support/database.ts';
import { allEventCount, eventsOf } from '../support/events.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

describe.each(databaseKinds)('intention API on %s', (kind) => {
  let runtime: TestRuntime;
  let ada: TestUser;
  let guest: TestUser;
  /** A public space with no bots in it, so nothing but the test writes there. */
  let quiet: string;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    ada = await signUp(runtime, 'Ada');
    guest = await signInAsGuest(runtime, 'Wanderer');
    quiet = (await ada.api.being.create({ name: 'Quiet', type: 'space' })).id;
  });
  afterAll(async () => runtime?.dispose());

  const countIntentions = async () =>
    (await runtime.db.select({ id: intentions.id }).from(intentions)).length;

  it('posts an utterance as the caller, complete at once, visible to everyone who can see the space', async () => {
    const post = await guest.api.intention.createUtterance({ spaceId: quiet, content: 'hello **world**' });
    expect(post).toMatchObject({
      type: 'utterance',
      state: 'complete',
      ownerId: guest.actor.beingId,
      locationId: quiet,
      content: 'hello **world**',
    });
    const visitor = await anonymousApi(runtime);
    expect((await visitor.intention.list({ spaceId: quiet })).items[0]?.id).toBe(post.id);
    expect(await visitor.intention.get({ id: post.id })).toEqual(post);
  });

  it('lists newest first with a cursor that pages without gaps or repeats', async () => {
    const space = await ada.api.being.create({ name: 'Chatter', type: 'space' });
    const posted: string[] = [];
    for (let i = 0; i < 7; i++) {
      posted.push((await ada.api.intention.createUtterance({ spaceId: space.id, content: `m${i}` })).id);
    }
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await ada.api.intention.list({ spaceId: space.id, limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...posted].reverse());
  });

  it('accepts a client-chosen uuid once (for optimistic posts) and refuses it twice', async () => {
    const id = randomUUID();
    const post = await ada.api.intention.createUtterance({ spaceId: quiet, content: 'mine', id });
    expect(post.id).toBe(id);
    await expect(
      ada.api.intention.createUtterance({ spaceId: quiet, content: 'again', id }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      ada.api.intention.createUtterance({ spaceId: quiet, content: 'x', id: 'not-a-uuid' }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it(`refuses empty and oversize messages (limit ${LIMITS.utteranceMax} characters), writing nothing`, async () => {
    const before = { rows: await countIntentions(), events: await allEventCount(runtime.db) };
    await expect(ada.api.intention.createUtterance({ spaceId: quiet, content: '   ' })).rejects.toMatchObject(
      {
        code: 'BAD_REQUEST',
        message: 'content: A message cannot be empty.',
      },
    );
    await expect(
      ada.api.intention.createUtterance({ spaceId: quiet, content: 'x'.repeat(LIMITS.utteranceMax + 1) }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'content: A message can be at most 10,000 characters.',
    });
    expect({ rows: await countIntentions(), events: await allEventCount(runtime.db) }).toEqual(before);
    const atLimit = await ada.api.intention.createUtterance({
      spaceId: quiet,
      content: 'y'.repeat(LIMITS.utteranceMax),
    });
    expect(atLimit.content).toHaveLength(LIMITS.utteranceMax);
  });

  it('refuses unknown spaces, non-spaces, invalid ids and unauthenticated posts, writing nothing', async () => {
    const before = await countIntentions();
    await expect(
      ada.api.intention.createUtterance({ spaceId: '@nowhere', content: 'hi' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Space @nowhere was not found, or you are not allowed to see it.',
    });
    await expect(
      ada.api.intention.createUtterance({ spaceId: ada.actor.beingId, content: 'hi' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(
      ada.api.intention.createUtterance({ spaceId: 'intraliminal', content: 'hi' }),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('Being ids look like'),
    });
    await expect(ada.api.intention.list({ spaceId: '@nowhere' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const visitor = await anonymousApi(runtime);
    await expect(visitor.intention.createUtterance({ spaceId: quiet, content: 'hi' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(await countIntentions()).toBe(before);
  });

  it('keeps posts in a private space from non-members', async () => {
    const space = await ada.api.being.create({ name: 'Diary', type: 'space', visibility: 'private' });
    const post = await ada.api.intention.createUtterance({ spaceId: space.id, content: 'dear diary' });
    await expect(
      guest.api.intention.createUtterance({ spaceId: space.id, content: 'let me in' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(guest.api.intention.get({ id: post.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(guest.api.intention.list({ spaceId: space.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  describe('server-side replies (for bots)', () => {
    it('creates an active reply, appends to it and settles it, each change a sync event', async () => {
      const space = await ada.api.being.create({ name: 'Bot Room', type: 'space' });
      const reply = await runtime.domain.intentions.create({ ownerId: '@assistant', spaceId: space.id });
      expect(reply).toMatchObject({ state: 'active', content: '' });
      await Promise.all(
        ['Hel', 'lo', '!'].map((append) => runtime.domain.intentions.update(reply.id, { append })),
      );
      const done = await runtime.domain.intentions.update(reply.id, { state: 'complete' });
      expect(done.content).toHaveLength('Hello!'.length);
      expect(done.state).toBe('complete');
      const events = (await eventsOf(runtime.db, space.id)).filter((e) => e.type.startsWith('intention.'));
      // Created and settled as whole rows; each append carries only its own text, at the right offset.
      expect(events.map((e) => e.type)).toEqual([
        'intention.upsert',
        'intention.append',
        'intention.append',
        'intention.append',
        'intention.upsert',
      ]);
      let rebuilt = '';
      for (const event of events.slice(1, 4)) {
        if (event.type !== 'intention.append') throw new Error('expected an append');
        expect(event.entity.offset).toBe(rebuilt.length);
        rebuilt += event.entity.text;
      }
      expect(rebuilt).toBe(done.content);
      expect(events.at(-1)?.entity).toEqual(done);
    });

    it('refuses a reply past its limit, leaving the stored content as it was', async () => {
      const reply = await runtime.domain.intentions.create({
        ownerId: '@assistant',
        spaceId: quiet,
        content: 'a',
      });
      await expect(
        runtime.domain.intentions.update(reply.id, { append: 'b'.repeat(LIMITS.botReplyMax) }),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      expect((await ada.api.intention.get({ id: reply.id })).content).toBe('a');
      await expect(runtime.domain.intentions.update('missing', { state: 'failed' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
    });
  });
});
