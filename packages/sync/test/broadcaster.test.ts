import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Broadcaster, createBroadcaster } from '../src/server/broadcaster.ts';
import type { SyncDatabase } from '../src/server/database.ts';
import type { SendToRoom } from '../src/server/livekit-sender.ts';
import { appendSyncEvents, readEvents } from '../src/server/outbox.ts';
import { spaceStreams } from '../src/server/schema.ts';
import { createSigningKeys } from '../src/server/signing-keys.ts';
import { createTestDatabase, databaseKinds } from './support/database.ts';
import { posted, quietLogger } from './support/fixtures.ts';
import { openSealed } from './support/sealing.ts';

/**
 * The broadcaster against real PostgreSQL semantics (PGlite). LiveKit is behind the `send` port here;
 * test/sfu.integration.test.ts runs the same paths against the real SFU.
 */
interface Delivery {
  room: string;
  seqs: number[];
  refs: number[];
}

function recorder(db: () => SyncDatabase, failWhile: () => boolean = () => false) {
  const deliveries: Delivery[] = [];
  const payloads: Uint8Array[] = [];
  const send: SendToRoom = async (room, payload) => {
    if (failWhile()) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'unavailable' });
    const decoded = await openSealed(db(), payload);
    if (!decoded.ok) throw new Error(decoded.error);
    payloads.push(payload);
    deliveries.push({
      room,
      seqs: decoded.packet.events.map((event) => event.seq),
      refs: decoded.packet.refs.map((ref) => ref.seq),
    });
    return 'sent';
  };
  const seqs = (room: string) =>
    deliveries.filter((d) => d.room === room).flatMap((d) => [...d.seqs, ...d.refs]);
  return { deliveries, payloads, send, seqs };
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each(databaseKinds)('broadcaster on %s', (kind) => {
  let db: SyncDatabase;
  let reset: () => Promise<void>;
  let close: () => Promise<void>;
  const broadcasters: Broadcaster[] = [];
  const start = (options: Omit<Parameters<typeof createBroadcaster>[0], 'db' | 'logger' | 'signingKeys'>) => {
    const broadcaster = createBroadcaster({
      db,
      logger: quietLogger,
      sweepIntervalMs: 50,
      signingKeys: createSigningKeys({ db }),
      ...options,
    });
    broadcasters.push(broadcaster);
    return broadcaster;
  };
  const write = async (broadcaster: Broadcaster | null, space: string, id: string, content?: string) => {
    const appended = await db.transaction((tx) => appendSyncEvents(tx, [posted(space, id, content)]));
    broadcaster?.notify([space], appended);
  };

  beforeAll(async () => {
    ({ db, reset, close } = await createTestDatabase(kind));
  });
  beforeEach(() => reset());
  afterEach(async () => {
    await Promise.all(broadcasters.splice(0).map((b) => b.close()));
  });
  afterAll(() => close());

  it('a write whose transaction rolls back emits nothing', async () => {
    const sfu = recorder(() => db);
    const broadcaster = start({ send: sfu.send });
    await write(broadcaster, '@s', 'kept-1');
    await expect(
      db.transaction(async (tx) => {
        await appendSyncEvents(tx, [posted('@s', 'rolled-back')]);
        throw new Error('validation failed after the append');
      }),
    ).rejects.toThrow('validation failed');
    broadcaster.notify(['@s']);
    await write(broadcaster, '@s', 'kept-2');
    await until(() => sfu.seqs('@s').length === 2, 'two deliveries');
    await broadcaster.sweep();
    expect(sfu.seqs('@s')).toEqual([1, 2]);
  });

  it('sends a write to an idle space at once, without waiting for the coalescing window', async () => {
    const sfu = recorder(() => db);
    // A window far longer than the wait below: only a leading-edge flush delivers in time.
    const broadcaster = start({
      send: sfu.send,
      coalesceMs: 60_000,
      maxDelayMs: 60_000,
      sweepIntervalMs: 60_000,
    });
    await write(broadcaster, '@idle', 'first');
    await until(() => sfu.seqs('@idle').length === 1, 'the first write', 5_000);
    expect(sfu.seqs('@idle')).toEqual([1]);
  });

  it('sends the events it just committed without reading the outbox, as the outbox has them', async () => {
    const sfu = recorder(() => db);
    const broadcaster = start({ send: sfu.send, sweepIntervalMs: 60_000 });
    await write(broadcaster, '@mine', 'first', 'hello');
    await until(() => broadcaster.stats.flushes === 1, 'the first flush');
    await write(broadcaster, '@mine', 'second', 'again');
    await until(() => broadcaster.stats.flushes === 2, 'the second flush');
    expect(sfu.seqs('@mine')).toEqual([1, 2]);
    // Per flush: the lease and the advance, no read.
    expect(broadcaster.stats).toMatchObject({ flushes: 2, sentFromMemory: 2, dbQueries: 4 });
    const opened = await Promise.all(sfu.payloads.map((payload) => openSealed(db, payload)));
    const sent = opened.flatMap((decoded) => (decoded.ok ? decoded.packet.events : []));
    const [stream] = await db.select().from(spaceStreams).where(eq(spaceStreams.spaceId, '@mine'));
    expect(sent).toEqual(await readEvents(db, '@mine', stream?.epoch ?? '', 0, 10));
  });

  it('reads the outbox when it holds only part of what is unsent (another process wrote the rest)', async () => {
    const sfu = recorder(() => db);
    const broadcaster = start({ send: sfu.send, sweepIntervalMs: 60_000 });
    await write(null, '@mixed', 'theirs');
    await write(broadcaster, '@mixed', 'mine');
    await until(() => sfu.seqs('@mixed').length === 2, 'both writes');
    expect(sfu.seqs('@mixed')).toEqual([1, 2]);
    expect(broadcaster.stats.sentFromMemory).toBe(0);
  });

  it('a process that holds none of the events takes the lease and reads them in one statement', async () => {
    const sfu = recorder(() => db);
    // A flush that outlasts a third of the lease renews it (one more statement): on a loaded machine one
    // did, so the lease here is long enough that only the statements under test are counted.
    const broadcaster = start({ send: sfu.send, sweepIntervalMs: 60_000, leaseMs: 60_000 });
    await write(broadcaster, '@theirs', 'first');
    await until(() => broadcaster.stats.flushes === 1, 'the first flush');
    // Another process wrote these; this one only hears of the space.
    await write(null, '@theirs', 'second');
    await write(null, '@theirs', 'third');
    const before = broadcaster.stats.dbQueries;
    broadcaster.notify(['@theirs']);
    await until(() => broadcaster.stats.flushes === 2, 'the second flush');
    expect(sfu.seqs('@theirs')).toEqual([1, 2, 3]);
    // Lease and read together, then the advance.
    expect(broadcaster.stats.dbQueries - before).toBe(2);
  });

  it('coalesces a burst of writes into few packets', async () => {
    const sfu = recorder(() => db);
    const broadcaster = start({ send: sfu.send, coalesceMs: 20, maxDelayMs: 60, sweepIntervalMs: 60_000 });
    await Promise.all(Array.from({ length: 30 }, (_, i) => write(broadcaster, '@burst', `b${i}`)));
    await until(() => sfu.seqs('@burst').length === 30, 'the burst');
    expect(sfu.seqs('@burst')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(sfu.deliveries.length).toBeLessThan(10);
  });

  it('sends an event too big for a packet as a ref, in order with its neighbours', async () => {
    const sfu = recorder(() => db);
    const broadcaster = start({ send: sfu.send });
    await write(null, '@big', 'small-1');
    await write(null, '@big', 'huge', 'x'.repeat(70_000));
    await write(broadcaster, '@big', 'small-2');
    await until(() => sfu.seqs('@big').length === 3, 'three positions');
    expect(sfu.deliveries.flatMap((d) => d.refs)).toEqual([2]);
    expect(sfu.deliveries.flatMap((d) => d.seqs)).toEqual([1, 3]);
  });

  it('an outage loses nothing: sends fail, are retried with backoff, and resume in order', async () => {
    let down = true;
    const sfu = recorder(
      () => db,
      () => down,
    );
    const broadcaster = start({ send: sfu.send, retryInitialMs: 20, retryMaxMs: 100 });
    for (let i = 0; i < 10; i++) await write(broadcaster, '@outage', `o${i}`);
    await until(() => broadcaster.stats.sendFailures >= 2, 'a few failed attempts');
    expect(sfu.deliveries).toHaveLength(0);
    down = false;
    await write(broadcaster, '@outage', 'after');
    await until(() => sfu.seqs('@outage').length === 11, 'the backlog');
    expect(sfu.seqs('@outage')).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
  });

  it('a room nobody joined is not an error and the cursor moves on', async () => {
    const noRoom: SendToRoom = async () => 'no-room';
    const broadcaster = start({ send: noRoom });
    await write(broadcaster, '@empty', 'e1');
    await until(() => broadcaster.stats.noRoom === 1, 'the no-room outcome');
    expect(broadcaster.stats.sendFailures).toBe(0);
  });

  it('two processes on one database deliver every event exactly once, in order', async () => {
    const sfu = recorder(() => db);
    const a = start({ send: sfu.send, instanceId: 'a' });
    const b = start({ send: sfu.send, instanceId: 'b' });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 40; i++) writes.push(write(i % 2 === 0 ? a : b, '@shared', `m${i}`));
    await Promise.all(writes);
    await until(() => sfu.seqs('@shared').length >= 40, 'forty events');
    await Promise.all([a.sweep(), b.sweep()]);
    expect(sfu.seqs('@shared')).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('the sweep sends what a crashed process committed but never broadcast', async () => {
    for (let i = 0; i < 5; i++) await write(null, '@orphan', `c${i}`);
    const sfu = recorder(() => db);
    start({ send: sfu.send, sweepIntervalMs: 20 });
    await until(() => sfu.seqs('@orphan').length === 5, 'the orphaned events');
    expect(sfu.seqs('@orphan')).toEqual([1, 2, 3, 4, 5]);
  });
});
