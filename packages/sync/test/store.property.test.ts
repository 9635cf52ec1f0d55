import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAndDecode } from '../src/client/open-packet.ts';
import { SpaceStore } from '../src/client/store.ts';
import type { BeingView, IntentionView } from '../src/entities.ts';
import type { SyncEvent } from '../src/event.ts';
import { parseEvent, type ReceivedEvent } from '../src/packet.ts';
import { type SyncKeys, toBase64 } from '../src/seal/keys.ts';
import { PacketOpener } from '../src/seal/packet-opener.ts';
import { packetSealer, type SigningKey, type SpaceKey } from '../src/seal/seal-packet.ts';
import { packetize } from '../src/server/packetize.ts';
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

  it('converges with sealed packets, key rotations, replays under old keys and forgeries interleaved', async () => {
    const signing = (id: string): { key: SigningKey; publicKey: string } => {
      const pair = generateKeyPairSync('ed25519');
      const x = pair.publicKey.export({ format: 'jwk' }).x ?? '';
      return {
        key: { id, privateKey: pair.privateKey },
        publicKey: Buffer.from(x, 'base64url').toString('base64'),
      };
    };
    const app = signing('sk_app');
    const forger = { ...signing('sk_app'), key: { id: 'sk_app', privateKey: signing('x').key.privateKey } };
    const spaceKeys: SpaceKey[] = Array.from({ length: 6 }, (_, i) => ({
      id: `k${i}`,
      secret: randomBytes(32),
    }));
    const keysOf = (index: number): SyncKeys => {
      const key = spaceKeys[index] as SpaceKey;
      return {
        signing: [{ id: app.key.id, publicKey: app.publicKey }],
        space: { id: key.id, secret: toBase64(key.secret) },
      };
    };
    type Step = number[] | 'catch-up' | 'forged';
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 30 }),
        // Seqs after which a write narrowed the space and rotated its key (up to five rotations).
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.nat(),
        fc.array(
          fc.oneof(
            fc.array(fc.nat(), { maxLength: 6 }),
            fc.constant('catch-up' as const),
            fc.constant('forged' as const),
          ),
          { maxLength: 40 },
        ),
        async (ops, rotationPicks, loadPick, script: Step[]) => {
          const server = runServer(ops);
          const last = server.events.length;
          const rotations = rotationPicks.map((pick) => pick % (last + 1));
          /** The key current when event `seq` was sent: every rotation committed before it counts. */
          const keyAt = (seq: number) => rotations.filter((after) => after < seq).length;
          const newest = rotations.length;
          const loadAt = loadPick % (last + 1);
          // Catch-up happens now: it hands out the newest key.
          const since = (afterSeq: number) => ({
            kind: 'events' as const,
            space: SPACE,
            epoch: EPOCH,
            afterSeq,
            events: server.events.slice(afterSeq),
            keys: keysOf(newest),
          });
          const seal = (events: unknown[], signer: SigningKey, key: number) => {
            const [packet] = packetize(SPACE, EPOCH, events as SyncEvent[]);
            if (!packet) throw new Error('nothing to seal');
            return packetSealer(
              { space: SPACE, epoch: EPOCH },
              { signing: signer, space: spaceKeys[key] as SpaceKey },
            ).seal(packet.bytes);
          };

          const store = new SpaceStore(SPACE);
          const opener = new PacketOpener(SPACE);
          const catchUp = async () => {
            const answer = since(store.position.seq);
            await opener.setKeys(answer.keys);
            store.applyCatchUp(answer);
          };
          const checkPrefix = () => {
            if (!store.loaded) return;
            const state = store.state();
            const expected = server.states[state.seq] as ServerState;
            expect(state.beings).toEqual(sortById(expected.beings.values()));
            expect(state.intentions).toEqual(sortById(expected.intentions.values()));
          };
          for (const [index, step] of script.entries()) {
            if (index === Math.floor(script.length / 2)) {
              await opener.setKeys(keysOf(keyAt(loadAt + 1)));
              store.load(server.snapshotAt(loadAt));
            }
            if (!store.loaded) continue;
            if (step === 'catch-up') {
              await catchUp();
            } else {
              const picks = step === 'forged' ? [store.position.seq] : step.map((pick) => pick % last);
              const events = picks.map((pick) => server.events[pick]).filter((event) => event !== undefined);
              if (events.length === 0) continue;
              const maxSeq = Math.max(...picks) + 1;
              const forged = step === 'forged';
              const sealed = seal(
                forged
                  ? [{ ...(events[0] as object), entity: { id: 'i1' }, type: 'intention.remove' }]
                  : events,
                forged ? forger.key : app.key,
                forged ? newest : keyAt(maxSeq),
              );
              const before = store.position.seq;
              const decoded = await openAndDecode(opener, sealed);
              if (forged) expect(decoded).toMatchObject({ ok: false, reason: 'bad-signature' });
              if (decoded.ok) store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
              else {
                expect(store.position.seq).toBe(before);
                // What the client does with a key id it lacks: one key fetch, then catch-up.
                if ('reason' in decoded && decoded.reason === 'unknown-space-key') await catchUp();
              }
            }
            checkPrefix();
          }
          if (!store.loaded) {
            await opener.setKeys(keysOf(keyAt(loadAt + 1)));
            store.load(server.snapshotAt(loadAt));
          }
          await catchUp();
          while (store.needsCatchUp()) await catchUp();
          checkPrefix();
          expect(store.position.seq).toBe(last);
        },
      ),
      { numRuns: 150 },
    );
  });
});
