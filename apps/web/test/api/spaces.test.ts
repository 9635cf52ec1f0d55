import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_SPACE_ID } from '../../src/domain/seed.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

describe.each(databaseKinds)('space API on %s', (kind) => {
  let runtime: TestRuntime;
  let ada: TestUser;
  let guest: TestUser;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    ada = await signUp(runtime, 'Ada');
    guest = await signInAsGuest(runtime, 'Moth');
  });
  afterAll(async () => runtime?.dispose());

  const memberIds = async (spaceId: string) => (await ada.api.space.members({ spaceId })).map((b) => b.id);

  it('lets anyone signed in join and leave a public space, idempotently', async () => {
    await guest.api.space.join({ spaceId: SEED_SPACE_ID });
    await guest.api.space.join({ spaceId: SEED_SPACE_ID });
    expect(await memberIds(SEED_SPACE_ID)).toEqual([guest.actor.beingId]);
    await ada.api.space.join({ spaceId: SEED_SPACE_ID });
    expect(await memberIds(SEED_SPACE_ID)).toEqual([guest.actor.beingId, ada.actor.beingId]);
    await guest.api.space.leave({ spaceId: SEED_SPACE_ID });
    await guest.api.space.leave({ spaceId: SEED_SPACE_ID });
    expect(await memberIds(SEED_SPACE_ID)).toEqual([ada.actor.beingId]);
  });

  it('streams joins and leaves to the space itself, and its snapshot lists the members, so counts are live', async () => {
    const before = await ada.api.sync.snapshot({ spaceId: SEED_SPACE_ID });
    expect(before.members).toEqual([ada.actor.beingId]);
    await guest.api.space.join({ spaceId: SEED_SPACE_ID });
    await guest.api.space.join({ spaceId: SEED_SPACE_ID });
    await guest.api.space.leave({ spaceId: SEED_SPACE_ID });
    const answer = await ada.api.sync.since({
      spaceId: SEED_SPACE_ID,
      epoch: before.epoch,
      afterSeq: before.seq,
    });
    if (answer.kind !== 'events') throw new Error(`expected events, got ${answer.kind}`);
    const membership = answer.events
      .filter((event) => event.type.startsWith('member.'))
      .map((event) => [event.type, event.entity.id]);
    // A repeated join changes nothing, so it says nothing.
    expect(membership).toEqual([
      ['member.add', guest.actor.beingId],
      ['member.remove', guest.actor.beingId],
    ]);
  });

  it('refuses joining without a session, unknown spaces and beings that are not spaces', async () => {
    const visitor = await anonymousApi(runtime);
    await expect(visitor.space.join({ spaceId: SEED_SPACE_ID })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    await expect(guest.api.space.join({ spaceId: '@nowhere' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: 'Space @nowhere was not found, or you are not allowed to see it.',
    });
    await expect(guest.api.space.join({ spaceId: ada.actor.beingId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(guest.api.space.join({ spaceId: 'nowhere' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      ada.api.space.addMember({ spaceId: SEED_SPACE_ID, beingId: guest.actor.beingId }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('Only the owner') });
  });

  it('shows public members to visitors, and adds only existing beings', async () => {
    const space = await ada.api.being.create({ name: 'Open House', type: 'space' });
    const visitor = await anonymousApi(runtime);
    expect((await visitor.space.members({ spaceId: space.id })).map((b) => b.id)).toEqual([
      ada.actor.beingId,
    ]);
    await expect(ada.api.space.addMember({ spaceId: space.id, beingId: '@ghost' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await ada.api.space.addMember({ spaceId: space.id, beingId: guest.actor.beingId });
    expect(await memberIds(space.id)).toEqual([ada.actor.beingId, guest.actor.beingId]);
  });
});
