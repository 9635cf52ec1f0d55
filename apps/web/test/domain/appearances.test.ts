import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncPresence } from '../../src/db/schema/index.ts';
import { databaseKinds } from '../support/database.ts';
import { eventsOf } from '../support/events.ts';
import { renamedWriter } from '../support/renamed-writer.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/** A renamed being is seen live wherever it shows, and nowhere it must not be seen. */
describe.each(databaseKinds)('being changes reach the spaces that show the being, on %s', (kind) => {
  let runtime: TestRuntime;
  let owner: TestUser;
  let ada: TestUser;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    owner = await signUp(runtime, 'Olga');
    ada = await signInAsGuest(runtime, 'Ada');
  });
  afterAll(async () => runtime?.dispose());

  const lastUpsertOf = async (space: string, id: string) =>
    (await eventsOf(runtime.db, space)).filter((e) => e.type === 'being.upsert' && e.entity.id === id).at(-1);

  it('sends a person’s rename to spaces they wrote in, are a member of, or are connected to', async () => {
    const wrote = (await owner.api.being.create({ name: 'Wrote here', type: 'space' })).id;
    const member = (await owner.api.being.create({ name: 'Club', type: 'space', visibility: 'private' })).id;
    const present = (await owner.api.being.create({ name: 'Lobby', type: 'space' })).id;
    const elsewhere = (await owner.api.being.create({ name: 'Elsewhere', type: 'space' })).id;
    await ada.api.intention.createUtterance({ spaceId: wrote, content: 'hi' });
    await owner.api.space.addMember({ spaceId: member, beingId: ada.actor.beingId });
    await runtime.db.insert(syncPresence).values({
      spaceId: present,
      identity: `${ada.actor.beingId}#tab`,
      beingId: ada.actor.beingId,
      joinedAt: new Date(),
    });

    await ada.api.being.update({ id: ada.actor.beingId, name: 'Ada Lovelace' });
    for (const space of [wrote, member, present]) {
      expect(await lastUpsertOf(space, ada.actor.beingId)).toMatchObject({
        entity: { name: 'Ada Lovelace' },
      });
    }
    expect(await lastUpsertOf(elsewhere, ada.actor.beingId)).toBeUndefined();
  });

  it.each([
    { where: 'a private space', nested: false },
    { where: 'a public space inside a private one (as private)', nested: true },
  ])('never streams a being inside $where to the other spaces it wrote in', async ({ nested }) => {
    const hidden = (await owner.api.being.create({ name: 'Back room', type: 'space', visibility: 'private' }))
      .id;
    const home = nested
      ? (await owner.api.being.create({ name: 'Inner hall', type: 'space', locationId: hidden })).id
      : hidden;
    const open = (await owner.api.being.create({ name: 'Front room', type: 'space' })).id;
    const bot = await renamedWriter(runtime, owner, {
      name: 'Secret agent',
      home,
      wroteIn: open,
      renamedTo: 'Renamed agent',
    });
    expect(await lastUpsertOf(open, bot.id)).toBeUndefined();
    expect(await lastUpsertOf(home, bot.id)).toMatchObject({ entity: { name: 'Renamed agent' } });
  });
});
