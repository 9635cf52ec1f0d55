import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpaceStore } from '../src/client/store.ts';
import type { BeingView, IntentionView } from '../src/entities.ts';
import { parseEvent, type ReceivedEvent } from '../src/packet.ts';
import type { CatchUp } from '../src/snapshot.ts';

const SPACE = '@garden';
const EPOCH = 'e1';
const at = '2026-01-01T00:00:00.000Z';

type Op =
  | { kind: 'being'; id: string; name: string }
  | { kind: 'being-remove'; id: string }
  | { kind: 'intention'; id: string; content: string }
  | { kind: 'intention-remove'; id: string }
  | { kind: 'append'; id: string; text: string }
  | { kind: 'future'; note: string };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('being' as const),
    id: fc.constantFrom('@a', '@b', '@c'),
    name: fc.string(),
  }),
  fc.record({ kind: fc.constant('being-remove' as const), id: fc.constantFrom('@a', '@b', '@c') }),
  fc.record({
    kind: fc.constant('intention' as const),
    id: fc.constantFrom('i1', 'i2', 'i3', 'i4'),
    content: fc.string(),
  }),
  fc.record({ kind: fc.constant('intention-remove' as const), id: fc.constantFrom('i1', 'i2', 'i3', 'i4') }),
  fc.record({
    kind: fc.constant('append' as const),
    id: fc.constantFrom('i1', 'i2', 'i3', 'i4'),
    text: fc.string(),
  }),
  fc.record({ kind: fc.constant('future' as const), note: fc.string() }),
);

function intentionOf(id: string, content: string, seq: number): IntentionView {
  return {
    id,
    type: 'utterance',
    state: 'active',
    ownerId: '@a',
    locationId: SPACE,
    content,
    properties: {},
    createdAt: at,
    modifiedAt: `seq ${seq}`,
  };
}

interface ServerState {
  beings: Map<string, BeingView>;
  intentions: Map<string, IntentionView>;
}

/** The server: applies ops, numbers their events, and remembers the state after each seq. */
function runServer(ops: Op[]) {
  const events: unknown[] = [];
  const states: ServerState[] = [{ beings: new Map(), intentions: new Map() }];
  ops.forEach((op, index) => {
    const seq = index + 1;
    const prev = states[states.length - 1] as ServerState;
    const next: ServerState = { beings: new Map(prev.beings), intentions: new Map(prev.intentions) };
    const base = { space: SPACE, epoch: EPOCH, seq, at };
    switch (op.kind) {
      case 'being': {
        const entity: BeingView = {
          id: op.id,
          name: op.name,
          type: 'guest',
          ownerId: null,
          locationId: SPACE,
          content: '',
          properties: {},
          visibility: null,
          createdAt: at,
          modifiedAt: `seq ${seq}`,
        };
        next.beings.set(op.id, entity);
        events.push({ ...base, type: 'being.upsert', entity });
        break;
      }
      case 'being-remove':
        next.beings.delete(op.id);
        events.push({ ...base, type: 'being.remove', entity: { id: op.id } });
        break;
      case 'intention': {
        const entity = intentionOf(op.id, op.content, seq);
        next.intentions.set(op.id, entity);
        events.push({ ...base, type: 'intention.upsert', entity });
        break;
      }
      case 'intention-remove':
        next.intentions.delete(op.id);
        events.push({ ...base, type: 'intention.remove', entity: { id: op.id } });
        break;
      case 'append': {
        const row = prev.intentions.get(op.id);
        if (!row) {
          // Nothing to extend: the writer creates the reply instead.
          const entity = { ...intentionOf(op.id, op.text, seq) };
          next.intentions.set(op.id, entity);
          events.push({ ...base, type: 'intention.upsert', entity });
          break;
        }
        const modifiedAt = `seq ${seq}`;
        next.intentions.set(op.id, { ...row, content: row.content + op.text, state: 'active', modifiedAt });
        events.push({
          ...base,
          type: 'intention.append',
          entity: { id: op.id, offset: row.content.length, text: op.text, state: 'active', modifiedAt },
        });
        break;
      }
      case 'future':
        events.push({ ...base, type: 'reaction.add', entity: { note: op.note } });
        break;
    }
    states.push(next);
  });
  const snapshotAt = (seq: number) => {
    const state = states[seq] as ServerState;
    return {
      space: SPACE,
      epoch: EPOCH,
      seq,
      beings: [...state.beings.values()],
      intentions: [...state.intentions.values()],
    };
  };
  return { events, states, snapshotAt };
}

function received(raw: unknown): ReceivedEvent {
  const parsed = parseEvent(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.event;
}

const sortById = <T extends { id: string }>(rows: Iterable<T>) =>
  [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

describe('SpaceStore', () => {
  it('converges to the server state under duplicated, reordered and dropped events plus catch-up', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.nat(),
        fc.array(fc.oneof(fc.array(fc.nat(), { maxLength: 6 }), fc.constant('catch-up' as const)), {
          maxLength: 60,
        }),
        (ops, loadPick, floorPick, script) => {
          const server = runServer(ops);
          const last = server.events.length;
          const loadAt = loadPick % (last + 1);
          // Oldest kept event: catch-up from before it answers with a reset snapshot.
          const floor = floorPick % (last + 1);
          const since = (afterSeq: number): CatchUp =>
            afterSeq < floor
              ? { kind: 'reset', snapshot: server.snapshotAt(last) }
              : {
                  kind: 'events',
                  space: SPACE,
                  epoch: EPOCH,
                  afterSeq,
                  events: server.events.slice(afterSeq),
                };

          const store = new SpaceStore(SPACE);
          const checkPrefix = () => {
            if (!store.loaded) return;
            const state = store.state();
            const expected = server.states[state.seq] as ServerState;
            expect(state.beings).toEqual(sortById(expected.beings.values()));
            expect(state.intentions).toEqual(sortById(expected.intentions.values()));
          };
          script.forEach((step, index) => {
            if (index === Math.floor(script.length / 2)) store.load(server.snapshotAt(loadAt));
            if (step === 'catch-up') {
              if (store.loaded) store.applyCatchUp(since(store.position.seq));
            } else {
              const batch = step.map((pick) => received(server.events[pick % last]));
              store.receive(EPOCH, batch);
            }
            checkPrefix();
          });
          if (!store.loaded) store.load(server.snapshotAt(loadAt));
          // A resumed connection always ends with one catch-up; loop while the store still reports a hole.
          store.applyCatchUp(since(store.position.seq));
          while (store.needsCatchUp()) store.applyCatchUp(since(store.position.seq));
          checkPrefix();
          expect(store.position.seq).toBe(last);
        },
      ),
      { numRuns: 500 },
    );
  });
});
