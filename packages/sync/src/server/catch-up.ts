import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { SyncEvent } from '../event.ts';
import type { SyncKeys } from '../seal/keys.ts';
import { type CatchUp, type Keyed, keyedReset, type SpaceSnapshot } from '../snapshot.ts';
import { DEFAULT_ANSWER_MAX_BYTES, entityBudget, fitToBudget, jsonBytes } from './answer-budget.ts';
import type { SyncDatabase } from './database.ts';
import { readEventsWithin } from './outbox.ts';
import { spaceStreams } from './schema.ts';
import type { PublicSigningKey, SigningKeys } from './signing-keys.ts';
import { ensureSpaceKey, newSpaceKey } from './space-keys.ts';

export type SyncTransaction = Parameters<Parameters<SyncDatabase['transaction']>[0]>[0];

/**
 * How much of a space one snapshot reads, when its reader shows less than the app's usual window (a page
 * rendered with the newest few messages): at most `intentions` of the newest. Absent, the app's own limit.
 */
export interface SnapshotScope {
  intentions?: number;
}

export interface CatchUpOptions {
  db: SyncDatabase;
  /** The app's projection of a space: its beings and recent intentions, read inside our transaction. */
  loadSpace: (
    tx: SyncTransaction,
    space: string,
    scope: SnapshotScope,
  ) => Promise<
    Pick<SpaceSnapshot, 'beings' | 'intentions' | 'activity' | 'members' | 'memberCount' | 'intentionsCut'>
  >;
  /** A longer gap is answered with a snapshot: cheaper than replaying it (default 1,000 events). */
  maxEvents?: number;
  /** Bytes one snapshot or catch-up answer may carry (default 1 MB, `answer-budget.ts`). */
  maxAnswerBytes?: number;
  signingKeys: SigningKeys;
}

export interface CatchUpService {
  snapshot(space: string, scope?: SnapshotScope): Promise<Keyed<SpaceSnapshot>>;
  since(request: { space: string; epoch: string; afterSeq: number }): Promise<Keyed<CatchUp<SyncEvent>>>;
  /** The keys that open the space's packets now (for a client that met a key id it does not hold). */
  keys(space: string): Promise<SyncKeys>;
}

/**
 * Initial load and catch-up, both read in one REPEATABLE READ transaction so that the stream position
 * and the rows belong to the same instant: a snapshot is exact at its `seq`, and `since` returns the whole
 * gap or, when any part of it is no longer kept, a snapshot marked reset. Every answer carries the space's
 * key as of that instant and the published signing keys. Callers check permissions first: these answers
 * are the only way a space key leaves the server.
 */
export function createCatchUp(options: CatchUpOptions): CatchUpService {
  const maxEvents = options.maxEvents ?? 1_000;
  const maxBytes = entityBudget(options.maxAnswerBytes ?? DEFAULT_ANSWER_MAX_BYTES);
  const readOnly = { isolationLevel: 'repeatable read', accessMode: 'read only' } as const;

  type Stream = typeof spaceStreams.$inferSelect;
  // The signing keys are read before a transaction opens: their first read may create one, and PGlite
  // has a single connection that the open transaction would hold.
  const keysOf = (stream: Stream, signing: PublicSigningKey[]): SyncKeys | null =>
    stream.keyId && stream.key ? { signing, space: { id: stream.keyId, secret: stream.key } } : null;

  /** Null when the space has no stream, or one from before sealing (the caller then gives it a key). */
  async function snapshotIn(
    tx: SyncTransaction,
    space: string,
    signing: PublicSigningKey[],
    scope: SnapshotScope = {},
  ): Promise<Keyed<SpaceSnapshot> | null> {
    const [stream] = await tx.select().from(spaceStreams).where(eq(spaceStreams.spaceId, space));
    const keys = stream ? keysOf(stream, signing) : null;
    if (!stream || !keys) return null;
    const { activity, members, memberCount, ...content } = await options.loadSpace(tx, space, scope);
    // The listed members (bounded by the app) and read positions come first; the rest of the budget is for content.
    const parts = fitToBudget(content, maxBytes - jsonBytes(members ?? []) - jsonBytes(activity ?? []));
    return {
      space,
      epoch: stream.epoch,
      seq: stream.lastSeq,
      ...parts,
      ...(activity ? { activity } : {}),
      ...(members ? { members, memberCount: memberCount ?? members.length } : {}),
      keys,
    };
  }

  /** A stream with a key for the space: created if nobody wrote to it since the outbox existed. */
  async function ensureStream(space: string): Promise<{ keyId: string; key: string }> {
    // The insert is a no-op if a writer created the stream meanwhile.
    await options.db
      .insert(spaceStreams)
      .values({ spaceId: space, epoch: randomUUID(), lastSeq: 0, ...newSpaceKey() })
      .onConflictDoNothing();
    const key = await ensureSpaceKey(options.db, space);
    if (!key) throw new Error(`the sync stream of ${space} could not be created`);
    return key;
  }

  async function snapshot(space: string, scope?: SnapshotScope): Promise<Keyed<SpaceSnapshot>> {
    const signing = await options.signingKeys.published();
    const found = await options.db.transaction((tx) => snapshotIn(tx, space, signing, scope), readOnly);
    if (found) return found;
    // So the client has an epoch that its first event will match, and a key to open it with.
    await ensureStream(space);
    const created = await options.db.transaction((tx) => snapshotIn(tx, space, signing, scope), readOnly);
    if (!created) throw new Error(`the sync stream of ${space} could not be created`);
    return created;
  }

  async function keys(space: string): Promise<SyncKeys> {
    const key = await ensureStream(space);
    return { signing: await options.signingKeys.published(), space: { id: key.keyId, secret: key.key } };
  }

  async function since(request: {
    space: string;
    epoch: string;
    afterSeq: number;
  }): Promise<Keyed<CatchUp<SyncEvent>>> {
    const { space, epoch, afterSeq } = request;
    const signing = await options.signingKeys.published();
    const answer = await options.db.transaction(async (tx): Promise<Keyed<CatchUp<SyncEvent>> | null> => {
      const [stream] = await tx.select().from(spaceStreams).where(eq(spaceStreams.spaceId, space));
      const keys = stream ? keysOf(stream, signing) : null;
      if (!stream || !keys) return null;
      const reset = async (): Promise<Keyed<CatchUp<SyncEvent>>> => {
        const snap = await snapshotIn(tx, space, signing);
        if (!snap) throw new Error(`the sync stream of ${space} vanished inside a transaction`);
        return keyedReset(snap);
      };
      const gap = stream.lastSeq - afterSeq;
      if (stream.epoch !== epoch || gap < 0 || gap > maxEvents) return reset();
      if (gap === 0) return { kind: 'events', space, epoch, afterSeq, events: [], keys };
      const { events, total } = await readEventsWithin(tx, space, epoch, afterSeq, maxBytes);
      // Seqs are unique and in range, so `gap` rows mean the whole gap; anything less was pruned.
      if (total !== gap) return reset();
      // A page stops at the budget; the client continues from its end until it holds `untilSeq`.
      const page = events.length < gap ? { untilSeq: stream.lastSeq } : {};
      return { kind: 'events', space, epoch, afterSeq, events, ...page, keys };
    }, readOnly);
    return answer ?? keyedReset(await snapshot(space));
  }

  return { snapshot, since, keys };
}
