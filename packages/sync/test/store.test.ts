import { describe, expect, it } from 'vitest';
import { SpaceStore } from '../src/client/store.ts';
import type { IntentionView } from '../src/entities.ts';
import type { SyncEvent } from '../src/event.ts';

const at = '2026-01-01T00:00:00.000Z';
const post = (id: string, content: string): IntentionView => ({
  id,
  type: 'utterance',
  state: 'complete',
  ownerId: '@me',
  locationId: '@s',
  content,
  properties: {},
  createdAt: at,
  modifiedAt: at,
});
const upsert = (seq: number, entity: IntentionView, epoch = 'e1'): SyncEvent => ({
  space: '@s',
  epoch,
  seq,
  at,
  type: 'intention.upsert',
  entity,
});
const empty = (seq: number, epoch = 'e1') => ({ space: '@s', epoch, seq, beings: [], intentions: [] });

describe('SpaceStore', () => {
  it('keeps read positions from a personal snapshot and replaces each with its newer event', () => {
    const store = new SpaceStore('@s');
    store.load({
      ...empty(1),
      activity: [
        { id: '@a', messages: 4, read: 4 },
        { id: '@b', messages: 1, read: 0 },
      ],
    });
    const activity = (seq: number, id: string, messages: number, read: number): SyncEvent => ({
      space: '@s',
      epoch: 'e1',
      seq,
      at,
      type: 'activity.upsert',
      entity: { id, messages, read },
    });
    store.receive('e1', [activity(3, '@a', 6, 6), activity(2, '@a', 5, 4)]);
    expect([...store.getView().activity.values()]).toEqual([
      { id: '@a', messages: 6, read: 6 },
      { id: '@b', messages: 1, read: 0 },
    ]);
    store.load(empty(3));
    expect(store.getView().activity.size).toBe(0);
  });

  const member = (seq: number, type: 'member.add' | 'member.remove', id: string): SyncEvent => ({
    space: '@s',
    epoch: 'e1',
    seq,
    at,
    type,
    entity: { id },
  });

  it('keeps the members from a space snapshot and follows joins and leaves', () => {
    const store = new SpaceStore('@s');
    store.load({ ...empty(1), members: ['@a', '@b'], memberCount: 2 });
    store.receive('e1', [member(3, 'member.remove', '@a'), member(2, 'member.add', '@c')]);
    expect([...store.getView().memberIds].sort()).toEqual(['@b', '@c']);
    expect(store.getView().memberCount).toBe(2);
    // A complete list: leaving twice, or a leave of someone who never joined, counts nobody.
    store.receive('e1', [member(4, 'member.remove', '@a'), member(5, 'member.remove', '@z')]);
    expect(store.getView().memberCount).toBe(2);
    store.load(empty(5));
    expect(store.getView().memberIds.size).toBe(0);
    expect(store.getView().memberCount).toBe(0);
  });

  it('counts every member of a crowded space whose snapshot lists only the first ones', () => {
    const store = new SpaceStore('@s');
    store.load({ ...empty(1), members: ['@a', '@b'], memberCount: 1_500 });
    expect(store.getView().memberCount).toBe(1_500);
    store.receive('e1', [
      member(2, 'member.add', '@new'),
      member(3, 'member.remove', '@unlisted'),
      member(4, 'member.remove', '@a'),
    ]);
    expect([...store.getView().memberIds].sort()).toEqual(['@b', '@new']);
    expect(store.getView().memberCount).toBe(1_499);
  });

  it('holds events that arrive before the snapshot and applies only those after it', () => {
    const store = new SpaceStore('@s');
    store.receive('e1', [upsert(1, post('a', 'old')), upsert(3, post('c', 'three'))]);
    store.load({ ...empty(2), intentions: [post('a', 'old'), post('b', 'two')] });
    expect(store.position.seq).toBe(3);
    expect(store.getView().intentions.map((row) => row.id)).toEqual(['a', 'b', 'c']);
  });

  it('reports a hole and fills it from a later packet without catch-up', () => {
    const store = new SpaceStore('@s');
    store.load(empty(0));
    expect(store.receive('e1', [upsert(2, post('b', '2'))]).needsCatchUp).toBe(true);
    const result = store.receive('e1', [upsert(1, post('a', '1')), upsert(2, post('b', '2'))]);
    expect(result).toEqual({ applied: 2, duplicates: 1, needsCatchUp: false });
  });

  it('a packet of another epoch asks for a reset, and the reset replaces everything', () => {
    const store = new SpaceStore('@s');
    store.load({ ...empty(5), intentions: [post('a', 'x')] });
    expect(store.receive('e2', [upsert(1, post('z', 'new'), 'e2')]).needsCatchUp).toBe(true);
    store.applyCatchUp({ kind: 'reset', snapshot: { ...empty(1, 'e2'), intentions: [post('z', 'new')] } });
    expect(store.position).toEqual({ epoch: 'e2', seq: 1 });
    expect(store.getView().intentions.map((row) => row.id)).toEqual(['z']);
    expect(store.needsCatchUp()).toBe(false);
  });

  it('ignores an older snapshot of the same epoch', () => {
    const store = new SpaceStore('@s');
    store.load(empty(0));
    store.receive('e1', [upsert(1, post('a', '1')), upsert(2, post('b', '2'))]);
    store.load(empty(1));
    expect(store.position.seq).toBe(2);
    expect(store.getView().intentions).toHaveLength(2);
  });

  it('shows an optimistic post at once and replaces it with its event, whichever comes first', () => {
    const store = new SpaceStore('@s');
    store.load(empty(0));
    store.addOptimistic(post('p1', 'hi'));
    expect(store.getView().optimisticIds.has('p1')).toBe(true);
    store.receive('e1', [upsert(1, post('p1', 'hi'))]);
    expect(store.getView().intentions.map((row) => row.id)).toEqual(['p1']);
    expect(store.getView().optimisticIds.size).toBe(0);
    store.settleOptimistic('p1', post('p1', 'hi'));
    expect(store.getView().intentions.map((row) => row.id)).toEqual(['p1']);

    store.addOptimistic(post('p2', 'second'));
    store.settleOptimistic('p2', post('p2', 'second'));
    expect(store.getView().intentions.map((row) => row.id)).toEqual(['p1', 'p2']);
    store.receive('e1', [upsert(2, { ...post('p2', 'second (edited)') })]);
    expect(store.getView().intentions.map((row) => row.content)).toEqual(['hi', 'second (edited)']);

    store.addOptimistic(post('p3', 'fails'));
    store.settleOptimistic('p3', null);
    expect(store.getView().intentions).toHaveLength(2);
  });

  it('never brings back a post deleted before its write was answered', () => {
    const store = new SpaceStore('@s');
    store.load(empty(0));
    store.addOptimistic(post('p1', 'hi'));
    // Under load the post's own answer can come last: after its event, and after its removal's.
    store.receive('e1', [
      upsert(1, post('p1', 'hi')),
      { space: '@s', epoch: 'e1', seq: 2, at, type: 'intention.remove', entity: { id: 'p1' } },
    ]);
    store.settleOptimistic('p1', post('p1', 'hi'));
    expect(store.getView().intentions).toEqual([]);
  });

  it('extends a streaming reply with appends, and asks for a snapshot when an append does not fit', () => {
    const store = new SpaceStore('@s');
    store.load({ ...empty(1), intentions: [{ ...post('r', 'Hel'), state: 'active' }] });
    const append = (seq: number, offset: number, text: string, state: 'active' | 'complete' = 'active') => ({
      space: '@s',
      epoch: 'e1',
      seq,
      at,
      type: 'intention.append' as const,
      entity: { id: 'r', offset, text, state, modifiedAt: `m${seq}` },
    });
    store.receive('e1', [append(2, 3, 'lo'), append(3, 5, ' world', 'complete')]);
    expect(store.getView().intentions[0]).toMatchObject({
      content: 'Hello world',
      state: 'complete',
      modifiedAt: 'm3',
    });
    // An append for another length means our copy is wrong: stop before it and reload.
    const result = store.receive('e1', [append(4, 99, '!'), append(5, 100, '?')]);
    expect(result.needsCatchUp).toBe(true);
    expect(store.needsReload).toBe(true);
    expect(store.position.seq).toBe(3);
    store.load({ ...empty(5), intentions: [{ ...post('r', 'Hello world!?'), state: 'complete' }] });
    expect(store.needsReload).toBe(false);
    expect(store.getView().intentions[0]?.content).toBe('Hello world!?');
  });

  it('lists removed intentions, held or not (older history paged in beside it), across loads', () => {
    const store = new SpaceStore('@s');
    store.load({ ...empty(0), intentions: [post('a', 'held')] });
    const removal = (seq: number, id: string): SyncEvent => ({
      space: '@s',
      epoch: 'e1',
      seq,
      at,
      type: 'intention.remove',
      entity: { id },
    });
    const before = store.getView().removedIds;
    store.receive('e1', [removal(1, 'a'), removal(2, 'paged')]);
    const view = store.getView();
    expect(view.intentions).toEqual([]);
    expect([...view.removedIds]).toEqual(['a', 'paged']);
    expect(before.size).toBe(0);
    // Unrelated changes keep the same set, so what is derived from it need not be recomputed.
    store.receive('e1', [upsert(3, post('b', 'new'))]);
    expect(store.getView().removedIds).toBe(view.removedIds);
    store.load({ ...empty(4), intentions: [post('b', 'new')] });
    expect([...store.getView().removedIds]).toEqual(['a', 'paged']);
  });

  it('notifies subscribers and returns a stable view between changes', () => {
    const store = new SpaceStore('@s');
    let calls = 0;
    const unsubscribe = store.subscribe(() => calls++);
    store.load(empty(0));
    const view = store.getView();
    expect(store.getView()).toBe(view);
    store.receive('e1', [upsert(1, post('a', '1'))]);
    expect(store.getView()).not.toBe(view);
    unsubscribe();
    store.receive('e1', [upsert(2, post('b', '2'))]);
    expect(calls).toBe(2);
  });
});
