import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SpaceStore } from '../src/client/store.ts';
import { INLINE_CONTENT_MAX_BYTES, utf8Bytes } from '../src/content-ref.ts';
import type { BeingView, IntentionView } from '../src/entities.ts';
import { DEFAULT_ANSWER_MAX_BYTES, fitToBudget, jsonBytes } from '../src/server/answer-budget.ts';
import { type CatchUpService, createCatchUp } from '../src/server/catch-up.ts';
import type { SyncDatabase } from '../src/server/database.ts';
import { appendSyncEvents, type PendingSyncEvent } from '../src/server/outbox.ts';
import { packetize } from '../src/server/packetize.ts';
import { createSigningKeys } from '../src/server/signing-keys.ts';
import { createTestDatabase, databaseKinds, type TestDatabase } from './support/database.ts';
import { intention } from './support/fixtures.ts';

const KB100 = 100_000;

function document(space: string, id: string, content: string): BeingView {
  const at = new Date(0).toISOString();
  return {
    id,
    name: id,
    type: 'document',
    ownerId: '@ada',
    locationId: space,
    content,
    properties: {},
    visibility: null,
    createdAt: at,
    modifiedAt: at,
  };
}

/** 100 KB of text that says which version of which entity it is, so a stale copy cannot pass for the last. */
const body = (id: string, version: number) => `${id} v${version} `.padEnd(KB100, 'x');

describe('a snapshot within its byte budget', () => {
  it('carries contents as refs, then leaves out the oldest intentions, never a being', () => {
    const beings = Array.from({ length: 100 }, (_, i) => document('@s', `@doc-${i}`, body(`@doc-${i}`, 1)));
    const small = document('@s', '@note', 'short enough to travel');
    const intentions = Array.from({ length: 200 }, (_, i) => intention('@s', `m${i}`, 'y'.repeat(10_000)));
    const fitted = fitToBudget({ beings: [...beings, small], intentions }, DEFAULT_ANSWER_MAX_BYTES);
    expect(jsonBytes(fitted)).toBeLessThanOrEqual(DEFAULT_ANSWER_MAX_BYTES);
    expect(fitted.beings).toHaveLength(101);
    for (const being of fitted.beings.slice(0, 100)) {
      expect(being).toMatchObject({ content: '', contentRef: { bytes: KB100 } });
    }
    // Messages are what a space shows, so every content goes as a ref before a message is left out.
    expect(fitted.beings[100]).toMatchObject({ content: '', contentRef: { bytes: 22 } });
    // The newest intentions stay, oldest first as given, and the client is told older ones exist.
    expect(fitted.intentionsCut).toBe(true);
    expect(fitted.intentions.length).toBeGreaterThan(50);
    expect(fitted.intentions.at(-1)?.id).toBe('m199');
  });

  it('when small contents alone pass the budget, they become refs too, largest first', () => {
    const beings = Array.from({ length: 100 }, (_, i) =>
      document('@s', `@doc-${i}`, 'z'.repeat(INLINE_CONTENT_MAX_BYTES - i)),
    );
    const fitted = fitToBudget({ beings, intentions: [] }, 1_000_000);
    expect(jsonBytes(fitted)).toBeLessThanOrEqual(1_000_000);
    expect(fitted.intentionsCut).toBeUndefined();
    // The largest went first: every ref is larger than every content still inline.
    const inline = fitted.beings.filter((being) => !being.contentRef).map((being) => being.content.length);
    const refs = fitted.beings
      .filter((being) => being.contentRef)
      .map((being) => being.contentRef?.bytes ?? 0);
    expect(inline.length).toBeGreaterThan(0);
    expect(Math.min(...refs)).toBeGreaterThan(Math.max(...inline));
  });

  it('counts UTF-8 bytes, not characters', () => {
    expect(utf8Bytes('aé€😀')).toBe(1 + 2 + 3 + 4);
    expect(utf8Bytes('\ud800')).toBe(3);
  });
});

describe.each(databaseKinds)('catch-up within its byte budget on %s', (kind) => {
  let test: TestDatabase;
  let db: SyncDatabase;
  let catchUp: CatchUpService;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    db = test.db;
  });
  beforeEach(async () => {
    await test.reset();
    catchUp = createCatchUp({
      db,
      loadSpace: async () => ({ beings: [], intentions: [] }),
      signingKeys: createSigningKeys({ db }),
    });
  });
  afterAll(() => test.close());

  it('a large document edit is stored and broadcast as a ref, small enough for one packet', async () => {
    const [event] = await db.transaction((tx) =>
      appendSyncEvents(tx, [
        { space: '@s', type: 'being.upsert', entity: document('@s', '@doc', body('@doc', 1)) },
      ]),
    );
    expect(event?.entity).toMatchObject({ id: '@doc', content: '', contentRef: { bytes: KB100 } });
    const stored = await catchUp.since({ space: '@s', epoch: event?.epoch ?? '', afterSeq: 0 });
    expect(stored.kind === 'events' && stored.events[0]?.entity).toMatchObject({
      contentRef: { bytes: KB100 },
    });
    const packets = packetize('@s', event?.epoch ?? '', event ? [event] : []);
    expect(packets.map((packet) => [packet.eventCount, packet.refCount])).toEqual([[1, 0]]);
  });

  it('pages a catch-up across 300 × 100 KB edits, and a client following the pages converges', async () => {
    // The client loaded the space before any of it was written.
    const { keys: _, ...before } = await catchUp.snapshot('@s');
    // 27 messages edited 10 times each (100 KB per version; messages travel whole) and 10 documents.
    const expected = new Map<string, string>();
    for (let round = 0; round < 10; round++) {
      const events: PendingSyncEvent[] = [];
      for (let m = 0; m < 27; m++) {
        const id = `m${m}`;
        expected.set(id, body(id, round));
        events.push({ space: '@s', type: 'intention.upsert', entity: intention('@s', id, body(id, round)) });
      }
      for (let d = 0; d < 3; d++) {
        const id = `@doc-${(round * 3 + d) % 10}`;
        events.push({ space: '@s', type: 'being.upsert', entity: document('@s', id, body(id, round)) });
      }
      await db.transaction((tx) => appendSyncEvents(tx, events));
    }
    const store = new SpaceStore('@s');
    store.load(before);

    let pages = 0;
    do {
      const { epoch, seq } = store.position;
      const answer = await catchUp.since({ space: '@s', epoch: epoch ?? '', afterSeq: seq });
      expect(answer.kind).toBe('events');
      expect(jsonBytes(answer)).toBeLessThanOrEqual(DEFAULT_ANSWER_MAX_BYTES);
      expect(store.applyCatchUp(answer).applied).toBeGreaterThan(0);
      pages++;
    } while (store.needsCatchUp());

    expect(pages).toBeGreaterThan(25);
    const state = store.state();
    expect(state.seq).toBe(300);
    expect(new Map(state.intentions.map((row: IntentionView) => [row.id, row.content]))).toEqual(expected);
    expect(state.beings).toHaveLength(10);
    for (const being of state.beings)
      expect(being).toMatchObject({ content: '', contentRef: { bytes: KB100 } });
  });
});
