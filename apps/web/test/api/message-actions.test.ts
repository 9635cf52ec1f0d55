import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import { allEventCount, eventsOf } from '../support/events.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, makeSuperuser, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/** Edit, delete and reply: who may do what to a message, tried through the API as an attacker would. */
describe.each(databaseKinds)('message actions on %s', (kind) => {
  let runtime: TestRuntime;
  let owner: TestUser;
  let ada: TestUser;
  let mallory: TestUser;
  let root: TestUser;
  let space: string;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    owner = await signUp(runtime, 'Olga');
    ada = await signInAsGuest(runtime, 'Ada');
    mallory = await signInAsGuest(runtime, 'Mallory');
    root = await makeSuperuser(runtime, await signUp(runtime, 'Root'));
    space = (await owner.api.being.create({ name: 'Commons', type: 'space' })).id;
  });
  afterAll(async () => runtime?.dispose());

  const say = (user: TestUser, content: string, replyTo?: string) =>
    user.api.intention.createUtterance({ spaceId: space, content, ...(replyTo ? { replyTo } : {}) });
  const unchanged = async (id: string, content: string) => {
    expect((await owner.api.intention.get({ id })).content).toBe(content);
  };

  it('lets the author edit their message: new content, an edited marker, one upsert event', async () => {
    const post = await say(ada, 'helo');
    const edited = await ada.api.intention.editUtterance({ id: post.id, content: 'hello' });
    expect(edited).toMatchObject({ id: post.id, content: 'hello', createdAt: post.createdAt });
    expect(typeof edited.properties.editedAt).toBe('string');
    const last = (await eventsOf(runtime.db, space)).at(-1);
    expect(last).toMatchObject({ type: 'intention.upsert', entity: edited });
  });

  it('refuses an edit by anyone but the author (space owner and superuser included), changing nothing', async () => {
    const post = await say(ada, 'my words');
    const before = await allEventCount(runtime.db);
    for (const user of [mallory, owner, root]) {
      await expect(
        user.api.intention.editUtterance({ id: post.id, content: 'not yours' }),
      ).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Only the author of a message can edit it.' });
    }
    const visitor = await anonymousApi(runtime);
    await expect(visitor.intention.editUtterance({ id: post.id, content: 'x' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await unchanged(post.id, 'my words');
    expect(await allEventCount(runtime.db)).toBe(before);
  });

  it('refuses an empty or oversize edit and an unknown message', async () => {
    const post = await say(ada, 'keep me');
    await expect(ada.api.intention.editUtterance({ id: post.id, content: '  ' })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'content: A message cannot be empty.',
    });
    await expect(ada.api.intention.editUtterance({ id: 'nope', content: 'x' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Message nope was not found, or you are not allowed to see it.',
    });
    await unchanged(post.id, 'keep me');
  });

  it('refuses editing or deleting a bot’s reply for anyone but a superuser deleting it', async () => {
    const reply = await runtime.domain.intentions.create({
      ownerId: '@assistant',
      spaceId: space,
      content: 'hi',
    });
    await expect(ada.api.intention.editUtterance({ id: reply.id, content: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(mallory.api.intention.remove({ id: reply.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(root.api.intention.remove({ id: reply.id })).resolves.toEqual({ id: reply.id });
  });

  it('lets the author, the space owner and a superuser delete, each emitting intention.remove', async () => {
    for (const user of [ada, owner, root]) {
      const post = await say(ada, `delete me (${user.actor.beingId})`);
      await expect(user.api.intention.remove({ id: post.id })).resolves.toEqual({ id: post.id });
      await expect(owner.api.intention.get({ id: post.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect((await eventsOf(runtime.db, space)).at(-1)).toMatchObject({
        type: 'intention.remove',
        entity: { id: post.id },
      });
    }
  });

  it('refuses a delete by someone else, writing nothing', async () => {
    const post = await say(ada, 'still here');
    const before = await allEventCount(runtime.db);
    await expect(mallory.api.intention.remove({ id: post.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'Only the author of a message, the owner of its space or a superuser can delete it.',
    });
    const visitor = await anonymousApi(runtime);
    await expect(visitor.intention.remove({ id: post.id })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await unchanged(post.id, 'still here');
    expect(await allEventCount(runtime.db)).toBe(before);
  });

  it('answers NOT_FOUND for a message in a private space the caller cannot see, even its own author', async () => {
    const diary = (await owner.api.being.create({ name: 'Diary', type: 'space', visibility: 'private' })).id;
    await owner.api.space.addMember({ spaceId: diary, beingId: ada.actor.beingId });
    const post = await ada.api.intention.createUtterance({ spaceId: diary, content: 'inside' });
    await owner.api.space.removeMember({ spaceId: diary, beingId: ada.actor.beingId });
    for (const user of [mallory, ada]) {
      await expect(user.api.intention.editUtterance({ id: post.id, content: 'x' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: `Message ${post.id} was not found, or you are not allowed to see it.`,
      });
      await expect(user.api.intention.remove({ id: post.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect((await owner.api.intention.get({ id: post.id })).content).toBe('inside');
  });

  it('stores a reply with a reference to the message it answers, which must be in the same space', async () => {
    const question = await say(owner, 'Who is\n   coming tomorrow?');
    const reply = await say(ada, 'I am', question.id);
    expect(reply.properties).toEqual({
      replyTo: question.id,
      replyToAuthor: owner.actor.beingId,
      replyExcerpt: 'Who is coming tomorrow?',
    });
    const elsewhere = (await owner.api.being.create({ name: 'Elsewhere', type: 'space' })).id;
    const other = await owner.api.intention.createUtterance({ spaceId: elsewhere, content: 'other room' });
    const before = await allEventCount(runtime.db);
    for (const replyTo of [other.id, 'missing']) {
      await expect(say(ada, 'sneaky', replyTo)).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: 'The message you reply to is not in this space any more.',
      });
    }
    expect(await allEventCount(runtime.db)).toBe(before);
  });

  it('keeps a reply’s reference and marks it edited when its author edits it', async () => {
    const question = await say(owner, 'Tea?');
    const reply = await say(ada, 'yes', question.id);
    const edited = await ada.api.intention.editUtterance({ id: reply.id, content: 'yes please' });
    expect(edited.properties).toMatchObject({ replyTo: question.id, editedAt: expect.any(String) });
  });
});
