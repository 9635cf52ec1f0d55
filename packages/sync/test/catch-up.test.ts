import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CatchUpService, createCatchUp } from '../src/server/catch-up.ts';
import type { SyncDatabase } from '../src/server/database.ts';
import { createJoinToken, MAX_TOKEN_TTL_SECONDS } from '../src/server/join-token.ts';
import { advanceCursor, appendSyncEvents, claimSpace } from '../src/server/outbox.ts';
import { pruneSyncEvents } from '../src/server/pruner.ts';
import { createSigningKeys } from '../src/server/signing-keys.ts';
import {
  createTestDatabase,
  databaseKinds,
  outboxProjection,
  type TestDatabase,
} from './support/database.ts';
import { intention, posted } from './support/fixtures.ts';

describe.each(databaseKinds)('catch-up and retention on %s', (kind) => {
  let test: TestDatabase;
  let db: SyncDatabase;
  let catchUp: CatchUpService;
  const write = (space: string, id: string) =>
    db.transaction((tx) => appendSyncEvents(tx, [posted(space, id)]));
  const markSent = async (space: string) => {
    const claim = await claimSpace(db, space, 'test', 5_000);
    if (claim) await advanceCursor(db, claim, 'test', claim.lastSeq);
  };
  const age = (space: string, ms: number) =>
    test.query(
      `update sync_events set at = at - make_interval(secs => $2::float / 1000) where space_id = $1`,
      [space, ms],
    );

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    db = test.db;
  });
  beforeEach(async () => {
    await test.reset();
    catchUp = createCatchUp({
      db,
      loadSpace: outboxProjection,
      maxEvents: 50,
      signingKeys: createSigningKeys({ db }),
    });
  });
  afterAll(() => test.close());

  it('an unknown space gets a stream at seq 0 that its first event continues', async () => {
    const snapshot = await catchUp.snapshot('@new');
    expect(snapshot).toMatchObject({ space: '@new', seq: 0, intentions: [] });
    const [event] = await write('@new', 'first');
    expect(event).toMatchObject({ epoch: snapshot.epoch, seq: 1 });
  });

  it('returns the whole gap in order, and nothing when the client is current', async () => {
    for (let i = 1; i <= 5; i++) await write('@s', `m${i}`);
    const { epoch } = await catchUp.snapshot('@s');
    const answer = await catchUp.since({ space: '@s', epoch, afterSeq: 2 });
    expect(answer.kind === 'events' && answer.events.map((event) => (event as { seq: number }).seq)).toEqual([
      3, 4, 5,
    ]);
    expect(await catchUp.since({ space: '@s', epoch, afterSeq: 5 })).toMatchObject({
      kind: 'events',
      events: [],
    });
  });

  it('resets on another epoch, a position from the future, or a gap longer than maxEvents', async () => {
    for (let i = 1; i <= 60; i++) await write('@s', `m${i}`);
    const { epoch } = await catchUp.snapshot('@s');
    for (const request of [
      { epoch: 'old-epoch', afterSeq: 59 },
      { epoch, afterSeq: 61 },
      { epoch, afterSeq: 5 },
    ]) {
      const answer = await catchUp.since({ space: '@s', ...request });
      expect(answer.kind).toBe('reset');
      if (answer.kind === 'reset') {
        expect(answer.snapshot).toMatchObject({ epoch, seq: 60 });
        expect(answer.snapshot.intentions).toHaveLength(60);
      }
    }
  });

  it('keeps at least the retention window and count; an older client gets a reset, never a partial gap', async () => {
    for (let i = 1; i <= 20; i++) await write('@s', `m${i}`);
    await markSent('@s');
    const { epoch } = await catchUp.snapshot('@s');
    // Young events are kept whatever their number.
    expect(await pruneSyncEvents(db, { retentionMs: 60_000, retentionEvents: 5 })).toBe(0);
    await age('@s', 120_000);
    // Old events beyond the newest 5 go.
    expect(await pruneSyncEvents(db, { retentionMs: 60_000, retentionEvents: 5 })).toBe(15);
    expect((await catchUp.since({ space: '@s', epoch, afterSeq: 15 })).kind).toBe('events');
    const behind = await catchUp.since({ space: '@s', epoch, afterSeq: 14 });
    expect(behind.kind === 'reset' && behind.snapshot.seq).toBe(20);
  });

  it('never prunes an event the broadcaster has not sent yet', async () => {
    for (let i = 1; i <= 10; i++) await write('@unsent', `m${i}`);
    await age('@unsent', 600_000);
    expect(await pruneSyncEvents(db, { retentionMs: 1_000, retentionEvents: 1 })).toBe(0);
    await markSent('@unsent');
    expect(await pruneSyncEvents(db, { retentionMs: 1_000, retentionEvents: 1 })).toBe(9);
  });

  it('a snapshot is exact at its seq', async () => {
    await write('@s', 'a');
    await write('@s', 'b');
    const snapshot = await catchUp.snapshot('@s');
    expect(snapshot.seq).toBe(2);
    expect(snapshot.intentions.map((row) => row.id).sort()).toEqual(['a', 'b']);
    expect(snapshot.intentions[0]).toEqual(intention('@s', 'a', 'message a'));
  });
});

describe('join tokens', () => {
  it('grant receive-only access to one room, with a unique identity per connection and a bounded TTL', async () => {
    const credentials = { apiKey: 'devkey', apiSecret: 'secret', ttlSeconds: 10 * 24 * 3600 };
    const one = await createJoinToken(credentials, { space: '@s', beingId: '@ada', name: 'Ada' });
    const two = await createJoinToken(credentials, { space: '@s', beingId: '@ada', name: 'Ada' });
    expect(one.identity).not.toBe(two.identity);
    expect(one.identity.startsWith('@ada#')).toBe(true);
    const claims = await new TokenVerifier('devkey', 'secret').verify(one.token);
    expect(claims.video).toMatchObject({
      roomJoin: true,
      room: '@s',
      canSubscribe: true,
      canPublish: false,
      canPublishData: false,
    });
    expect(claims.attributes).toEqual({ beingId: '@ada' });
    expect(claims.sub).toBe(one.identity);
    const exp = (claims as { exp?: number }).exp ?? 0;
    expect(exp - Date.now() / 1000).toBeLessThanOrEqual(MAX_TOKEN_TTL_SECONDS + 1);
  });

  it('let a signed-in person publish presence heartbeats when asked, never a hidden visitor', async () => {
    const credentials = { apiKey: 'devkey', apiSecret: 'secret' };
    const verifier = new TokenVerifier('devkey', 'secret');
    const person = await createJoinToken(credentials, {
      space: '@s',
      beingId: '@ada',
      name: 'Ada',
      presence: true,
    });
    expect((await verifier.verify(person.token)).video).toMatchObject({
      canPublish: false,
      canPublishData: true,
    });
    const visitor = await createJoinToken(credentials, {
      space: '@s',
      beingId: null,
      name: 'Visitor',
      presence: true,
    });
    expect((await verifier.verify(visitor.token)).video).toMatchObject({
      hidden: true,
      canPublishData: false,
    });
  });
});
