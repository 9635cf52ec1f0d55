import { randomUUID } from 'node:crypto';
import { type BackoffPolicy, Retrier } from '@rhizom/retry';
import type { Logger } from 'pino';
import type { SyncEvent } from '../event.ts';
import { DEFAULT_MAX_PACKET_BYTES } from '../packet.ts';
import { type PacketSealer, packetSealer } from '../seal/seal-packet.ts';
import { Coalescer } from './coalescer.ts';
import type { SyncDatabase } from './database.ts';
import type { SendToRoom } from './livekit-sender.ts';
import { advanceCursor, type Claim, claimSpace, readEvents, renewLease, unsentSpaces } from './outbox.ts';
import { packetize } from './packetize.ts';
import type { SigningKeys } from './signing-keys.ts';
import { ensureSpaceKey, spaceKeyFromRow } from './space-keys.ts';

export interface BroadcasterOptions {
  db: SyncDatabase;
  send: SendToRoom;
  /** Every packet is signed with the deployment's current key and sealed with its space's key. */
  signingKeys: SigningKeys;
  logger: Logger;
  /** Names this process in cursor leases; random by default. */
  instanceId?: string;
  /** After a flush, commits within this quiet time wait and share the next flush (a burst); default `burstCoalescing`. */
  coalesceMs?: number;
  /** A space with a steady stream of commits is still flushed at least this often; default `burstCoalescing`. */
  maxDelayMs?: number;
  maxPacketBytes?: number;
  /** Events read from the outbox per round trip. */
  batchEvents?: number;
  /** How often every process looks for unsent events (crashed peers, failed sends, missed hooks; default 750 ms). */
  sweepIntervalMs?: number;
  /**
   * How long a space's lease lasts unless its holder renews it (every third of it, while sending; default
   * 1.5 s). Short, so a crashed holder's spaces are taken over within this plus a sweep interval.
   */
  leaseMs?: number;
  /** The first wait before retrying a failed send (default 200 ms). */
  retryInitialMs?: number;
  /** The longest wait between retries, reached once the first second-bounded attempts failed (default 5 s). */
  retryMaxMs?: number;
  /**
   * Benchmarks only: while it answers true, packets go out unsigned and unsealed, which every client
   * refuses. `bench:sync` sets it to measure what sealing costs against the same stack and clients; the
   * app never does.
   */
  plaintextWhile?: () => boolean;
}

/**
 * A lone commit is sent at once; commits less than `quietMs` after a space's last flush share the next one,
 * sent at most `maxDelayMs` after the first of them waited. 25 ms is above the 20 ms between commits of a
 * space taking 50 a second (bench:web's burst), so such a stream is sent a few commits per flush rather than
 * one lease, read, SendData and cursor advance per commit (4 ms let every one of them flush alone).
 */
export const burstCoalescing = { quietMs: 25, maxDelayMs: 50 };

export interface BroadcasterStats {
  flushes: number;
  packets: number;
  events: number;
  refs: number;
  bytes: number;
  noRoom: number;
  sendFailures: number;
  dbQueries: number;
  /** Flushes that sent the events this process committed as they were, without reading the outbox. */
  sentFromMemory: number;
  /** Time spent signing and sealing packets (once per packet, whatever the number of recipients). */
  sealMs: number;
}

export interface Broadcaster {
  /**
   * Call after a write commits, with the events it appended if the caller has them (`appendSyncEvents`
   * returns them): a flush that finds exactly those unsent sends them without reading the outbox.
   * Never throws, never waits (the user's write is done).
   */
  notify(spaceIds: readonly string[], committed?: readonly SyncEvent[]): void;
  /** Flush a space right now and resolve when this process has nothing more to send for it. */
  flush(space: string): Promise<void>;
  /** One pass of the sweep, as the timer runs it. */
  sweep(): Promise<void>;
  readonly stats: Readonly<BroadcasterStats>;
  close(): Promise<void>;
}

/**
 * Sends committed outbox events to each space's LiveKit room.
 *
 * Stateless across processes: every process flushes the spaces it wrote to (fast path, via `notify`),
 * and sweeps the outbox for unsent events (slow path). Both go through a per-space lease on
 * `sync_cursors`, so only one process sends a space's backlog at a time, and the cursor's `sent_seq`
 * says where the next sender starts: nothing is lost (the sweep finds any tail) and, while leases are
 * honoured, nothing is sent twice. Clients drop duplicates by seq anyway, so a lease that expires
 * mid-send costs bandwidth, never correctness.
 */
export function createBroadcaster(options: BroadcasterOptions): Broadcaster {
  const owner = options.instanceId ?? `sync-${randomUUID()}`;
  const log = options.logger.child({ component: 'sync-broadcaster', instance: owner });
  const leaseMs = options.leaseMs ?? 1_500;
  const batchEvents = options.batchEvents ?? 500;
  const maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const retryPolicy: BackoffPolicy = {
    initialMs: options.retryInitialMs ?? 200,
    maxMs: options.retryMaxMs ?? 5_000,
    // A LiveKit restart is over in seconds: retry within a second for a while, then back off.
    quickAttempts: 6,
    quickMaxMs: 1_000,
  };
  const stats: BroadcasterStats = {
    flushes: 0,
    packets: 0,
    events: 0,
    refs: 0,
    bytes: 0,
    noRoom: 0,
    sendFailures: 0,
    dbQueries: 0,
    sentFromMemory: 0,
    sealMs: 0,
  };

  const running = new Map<string, Promise<void>>();
  const again = new Set<string>();
  /** Spaces whose last flush failed, with their retry state; a success deletes the entry. */
  const retriers = new Map<string, Retrier>();
  let closed = false;
  /** Per space, events this process committed and has not seen sent yet, by seq. */
  const held = new Map<string, Map<number, SyncEvent>>();

  function hold(events: readonly SyncEvent[]): void {
    for (const event of events) {
      const bySeq = held.get(event.space) ?? new Map<number, SyncEvent>();
      bySeq.set(event.seq, event);
      // Bounded: a space that cannot be sent for long (an outage) is read from the outbox later instead.
      if (bySeq.size > batchEvents) held.delete(event.space);
      else held.set(event.space, bySeq);
    }
  }

  /** The claimed range (sent_seq, last_seq], if this process holds every event of it; else null. */
  function heldRange(claim: Claim): SyncEvent[] | null {
    const bySeq = held.get(claim.space);
    if (!bySeq || claim.lastSeq - claim.sentSeq > bySeq.size) return null;
    const events: SyncEvent[] = [];
    for (let seq = claim.sentSeq + 1; seq <= claim.lastSeq; seq++) {
      const event = bySeq.get(seq);
      if (!event || event.epoch !== claim.epoch) return null;
      events.push(event);
    }
    return events;
  }

  /** Forget held events that are sent (by anyone) or belong to an older epoch. */
  function forgetSent(space: string, epoch: string, sentSeq: number): void {
    const bySeq = held.get(space);
    if (!bySeq) return;
    for (const [seq, event] of bySeq) if (seq <= sentSeq || event.epoch !== epoch) bySeq.delete(seq);
    if (bySeq.size === 0) held.delete(space);
  }

  const coalescer = new Coalescer({
    quietMs: options.coalesceMs ?? burstCoalescing.quietMs,
    maxDelayMs: options.maxDelayMs ?? burstCoalescing.maxDelayMs,
    fire: (space) => void flush(space),
  });

  /** Seals with the key the claim read; a stream from before sealing gets one first. */
  async function sealerFor(claim: Claim): Promise<PacketSealer> {
    if (options.plaintextWhile?.()) return { overhead: 0, seal: (plaintext) => plaintext };
    let key = claim.keyId && claim.key ? { keyId: claim.keyId, key: claim.key } : null;
    if (!key) {
      stats.dbQueries++;
      key = await ensureSpaceKey(options.db, claim.space);
      if (!key) throw new Error(`the sync stream of ${claim.space} has no key`);
    }
    return packetSealer(
      { space: claim.space, epoch: claim.epoch },
      { signing: await options.signingKeys.current(), space: spaceKeyFromRow(key) },
    );
  }

  /**
   * One lease: claim, read (unless this process holds the claimed events), send in packets, advance.
   * Returns true if the stream has more to send.
   */
  async function flushOnce(space: string): Promise<boolean> {
    stats.dbQueries++;
    // Holding none of its events (another process wrote them, or the sweep): lease and read in one statement.
    const claim = await claimSpace(options.db, space, owner, leaseMs, held.has(space) ? 0 : batchEvents);
    // Another process holds the lease; it re-checks the stream's end when it releases, and sends these.
    if (!claim) {
      held.delete(space);
      return false;
    }
    forgetSent(space, claim.epoch, claim.sentSeq);
    let sentUpTo = claim.sentSeq;
    let failure: unknown = null;
    const renewal = keepLease(space);
    try {
      if (claim.lastSeq > claim.sentSeq) {
        let events = heldRange(claim) ?? claim.events ?? null;
        if (!claim.events && events) stats.sentFromMemory++;
        if (!events) {
          stats.dbQueries++;
          events = await readEvents(options.db, space, claim.epoch, claim.sentSeq, batchEvents);
        }
        const sealer = await sealerFor(claim);
        for (const packet of packetize(space, claim.epoch, events, maxPacketBytes - sealer.overhead)) {
          const started = performance.now();
          const sealed = sealer.seal(packet.bytes);
          stats.sealMs += performance.now() - started;
          if ((await options.send(space, sealed)) === 'no-room') stats.noRoom++;
          stats.packets++;
          stats.events += packet.eventCount;
          stats.refs += packet.refCount;
          stats.bytes += sealed.length;
          sentUpTo = packet.lastSeq;
        }
        // Seqs with no row (pruned before anyone sent them) are passed over; clients that miss them
        // find the hole and catch up with a snapshot.
        if (events.length === 0) sentUpTo = claim.lastSeq;
      }
    } catch (error) {
      failure = error;
    } finally {
      clearInterval(renewal);
    }
    // Also after a failure: what was sent stays sent, and the lease is free for the retry.
    stats.dbQueries++;
    const after = await advanceCursor(options.db, claim, owner, sentUpTo);
    forgetSent(space, claim.epoch, sentUpTo);
    if (!after) {
      log.warn({ space, sentUpTo }, 'broadcast lease lost while sending (renewals late: database slow?)');
    }
    if (failure) throw failure;
    stats.flushes++;
    return after !== null && (after.epoch !== claim.epoch || after.lastSeq > sentUpTo);
  }

  /** Renews the lease of a space being sent until the returned interval is cleared. */
  function keepLease(space: string): ReturnType<typeof setInterval> {
    return setInterval(() => {
      stats.dbQueries++;
      renewLease(options.db, space, owner, leaseMs).then(
        (stillHeld) => {
          if (!stillHeld)
            log.warn({ space }, 'broadcast lease lost while sending; another process took over');
        },
        (error: unknown) => log.warn({ space, err: error }, 'renewing a broadcast lease failed'),
      );
    }, leaseMs / 3);
  }

  function flush(space: string): Promise<void> {
    const current = running.get(space);
    if (current) {
      again.add(space);
      return current;
    }
    if (retriers.get(space)?.scheduled || closed) return Promise.resolve();
    const run = (async () => {
      try {
        do {
          again.delete(space);
          while (await flushOnce(space)) {}
        } while (again.has(space));
        const retrier = retriers.get(space);
        if (retrier) {
          retriers.delete(space);
          log.info({ space, attempts: retrier.attempts }, 'sync broadcast recovered');
        }
      } catch (error) {
        stats.sendFailures++;
        scheduleRetry(space, error);
      } finally {
        running.delete(space);
      }
    })();
    running.set(space, run);
    return run;
  }

  function scheduleRetry(space: string, error: unknown): void {
    if (closed) return;
    const retrier = retriers.get(space) ?? new Retrier(retryPolicy);
    retriers.set(space, retrier);
    const delay = retrier.retry(() => void flush(space));
    log.warn(
      { space, attempt: retrier.attempts, retryInMs: delay, err: error },
      'sync broadcast failed; will retry (events stay in the outbox, clients catch up on reconnect)',
    );
  }

  let sweeping = false;
  async function sweep(): Promise<void> {
    if (sweeping || closed) return;
    sweeping = true;
    try {
      stats.dbQueries++;
      const spaces = await unsentSpaces(options.db, 100);
      await Promise.all(spaces.filter((space) => !running.has(space)).map(flush));
    } catch (error) {
      log.error({ err: error }, 'sync outbox sweep failed; will try again at the next interval');
    } finally {
      sweeping = false;
    }
  }
  const sweepTimer = setInterval(() => void sweep(), options.sweepIntervalMs ?? 750);
  sweepTimer.unref();

  return {
    notify(spaceIds, committed = []) {
      if (closed) return;
      hold(committed);
      for (const space of spaceIds) coalescer.poke(space);
    },
    flush,
    sweep,
    stats,
    async close() {
      coalescer.drain();
      closed = true;
      clearInterval(sweepTimer);
      for (const retrier of retriers.values()) retrier.close();
      retriers.clear();
      await Promise.allSettled([...running.values()]);
      held.clear();
    },
  };
}
