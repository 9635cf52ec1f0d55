import { SyncEventSchema } from '@rhizom/sync';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { insertBeing } from '../../src/domain/beings.ts';
import { appendSyncEvents } from '../../src/domain/outbox.ts';
import { SEED_SPACE_ID } from '../../src/domain/seed.ts';
import { databaseKinds } from '../support/database.ts';
import { allEventCount, eventsOf } from '../support/events.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signUp, type TestUser } from '../support/users.ts';

describe.each(databaseKinds)('sync outbox on %s', (kind) => {
  let runtime: TestRuntime;
  let ada: TestUser;
  const committed: string[][] = [];

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    const notify = runtime.sync.notify;
    vi.spyOn(runtime.sync, 'notify').mockImplementation((spaces) => {
      committed.push([...spaces]);
      notify(spaces);
    });
    ada = await signUp(runtime, 'Ada');
  });
  afterAll(async () => runtime?.dispose());

  it('gives every write an event with a contiguous seq in its space, valid against the sync schema', async () => {
    const space = await ada.api.being.create({ name: 'Outbox One', type: 'space' });
    await ada.api.intention.createUtterance({ spaceId: space.id, content: 'first' });
    await ada.api.being.update({ id: space.id, content: 'about this space' });
    const events = await eventsOf(runtime.db, space.id);
    expect(events.map((e) => e.type)).toEqual(['being.upsert', 'intention.upsert', 'being.upsert']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(new Set(events.map((e) => e.epoch)).size).toBe(1);
    for (const event of events) expect(SyncEventSchema.parse(event)).toEqual(event);
  });

  it('keeps seq contiguous under concurrent writers of one space', async () => {
    const space = await ada.api.being.create({ name: 'Busy Space', type: 'space' });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ada.api.intention.createUtterance({ spaceId: space.id, content: `message ${i}` }),
      ),
    );
    const seqs = (await eventsOf(runtime.db, space.id)).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it('emits nothing when the transaction rolls back', async () => {
    const quiet = (await ada.api.being.create({ name: 'Rollback Room', type: 'space' })).id;
    const before = await allEventCount(runtime.db);
    const beforeCommitted = committed.length;
    await expect(
      runtime.domain.write(async (scope) => {
        scope.emit({ space: quiet, type: 'being.remove', entity: { id: '@ghost' } });
        await appendSyncEvents(scope.tx, [{ space: quiet, type: 'being.remove', entity: { id: '@ghost2' } }]);
        throw new Error('boom after writing');
      }),
    ).rejects.toThrow('boom after writing');
    expect(await allEventCount(runtime.db)).toBe(before);
    expect(committed.length).toBe(beforeCommitted);
    // The stream position did not move either: the next event follows the last committed one.
    const last = (await eventsOf(runtime.db, quiet)).at(-1)?.seq ?? 0;
    await ada.api.intention.createUtterance({ spaceId: quiet, content: 'after the rollback' });
    expect((await eventsOf(runtime.db, quiet)).at(-1)?.seq).toBe(last + 1);
  });

  it('emits nothing for a refused write (bad input, no permission)', async () => {
    const before = await allEventCount(runtime.db);
    await expect(
      ada.api.intention.createUtterance({ spaceId: SEED_SPACE_ID, content: '' }),
    ).rejects.toThrow();
    await expect(ada.api.being.update({ id: SEED_SPACE_ID, name: 'mine now' })).rejects.toThrow();
    expect(await allEventCount(runtime.db)).toBe(before);
  });

  it('tells the broadcaster which spaces got events, after commit', async () => {
    const space = await ada.api.being.create({ name: 'Heard Space', type: 'space' });
    committed.length = 0;
    await ada.api.intention.createUtterance({ spaceId: space.id, content: 'hello' });
    expect(committed).toEqual([[space.id]]);
  });

  it('moving a being emits remove in the old space and upsert in the new one', async () => {
    const from = await ada.api.being.create({ name: 'Move From', type: 'space' });
    const to = await ada.api.being.create({ name: 'Move To', type: 'space' });
    const doc = await ada.api.being.create({ name: 'Notes', type: 'document', locationId: from.id });
    committed.length = 0;
    await ada.api.being.move({ id: doc.id, locationId: to.id });
    const fromEvents = await eventsOf(runtime.db, from.id);
    const toEvents = await eventsOf(runtime.db, to.id);
    expect(fromEvents.at(-1)).toMatchObject({ type: 'being.remove', entity: { id: doc.id } });
    expect(toEvents.at(-1)).toMatchObject({
      type: 'being.upsert',
      entity: { id: doc.id, locationId: to.id },
    });
    expect(committed).toHaveLength(1);
    expect([...(committed[0] ?? [])].sort()).toEqual([from.id, to.id].sort());
  });

  it("a space's own edits go to its stream and to the stream of the space it is in", async () => {
    const outer = await ada.api.being.create({ name: 'Outer', type: 'space' });
    const inner = await ada.api.being.create({ name: 'Inner', type: 'space', locationId: outer.id });
    await ada.api.being.update({ id: inner.id, name: 'Inner renamed' });
    expect((await eventsOf(runtime.db, outer.id)).at(-1)).toMatchObject({
      type: 'being.upsert',
      entity: { id: inner.id, name: 'Inner renamed' },
    });
    expect((await eventsOf(runtime.db, inner.id)).at(-1)).toMatchObject({
      type: 'being.upsert',
      entity: { id: inner.id, name: 'Inner renamed' },
    });
  });

  it('deleting a bot that owns things streams their new, empty owner', async () => {
    const lab = await ada.api.being.create({ name: 'Lab', type: 'space' });
    const bot = await ada.api.being.create({ name: 'Maker Bot', type: 'bot', locationId: lab.id });
    // Bots make things on their own (server-side, through the domain's insert).
    const made = await runtime.domain.write((scope) =>
      insertBeing(scope, {
        name: 'Made by bot',
        type: 'document',
        ownerId: bot.id,
        locationId: lab.id,
        content: '',
        properties: {},
        visibility: null,
      }),
    );
    await ada.api.being.delete({ id: bot.id });
    expect((await eventsOf(runtime.db, lab.id)).slice(-2)).toMatchObject([
      { type: 'being.upsert', entity: { id: made.id, ownerId: null } },
      { type: 'being.remove', entity: { id: bot.id } },
    ]);
  });

  it('deleting a space streams its removal and moves what was inside to the top level', async () => {
    const space = await ada.api.being.create({ name: 'Doomed', type: 'space' });
    const doc = await ada.api.being.create({ name: 'Survivor', type: 'document', locationId: space.id });
    await ada.api.intention.createUtterance({ spaceId: space.id, content: 'last words' });
    await ada.api.being.delete({ id: space.id });
    const events = await eventsOf(runtime.db, space.id);
    expect(events.slice(-2)).toMatchObject([
      { type: 'being.remove', entity: { id: doc.id } },
      { type: 'being.remove', entity: { id: space.id } },
    ]);
    expect((await ada.api.being.get({ id: doc.id })).locationId).toBeNull();
    await expect(ada.api.intention.list({ spaceId: space.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
