import { type BackoffPolicy, Retrier, Timer } from '@rhizom/retry';
import type { PacketOpener } from '../seal/packet-opener.ts';
import { type CatchUp, type Keyed, keyedReset } from '../snapshot.ts';
import type { SpaceStore } from './store.ts';
import type { SyncApi, SyncLogger } from './types.ts';

export interface CatchUpStats {
  catchUps: number;
  resets: number;
}

export interface CatchUpSchedulerOptions {
  space: string;
  api: SyncApi;
  store: SpaceStore;
  opener: PacketOpener;
  log: SyncLogger;
  stats: CatchUpStats;
  retry: BackoffPolicy;
  /** How long a hole in the sequence may wait for its packet before the server is asked. */
  holdMs: number;
  /** The connection was closed or refused: nothing more is asked. */
  stopped(): boolean;
  /** A catch-up failed; returns true when that ends the connection (the server refused the space). */
  failed(error: unknown, reason: string, retryInMs: number | null): boolean;
  succeeded(): void;
}

/**
 * Rounds in a row that move nothing forward, after which a catch-up stops until the next reason. Pages of
 * a long gap (a catch-up answer is bounded in bytes) each move, so they are not counted.
 */
const MAX_STALLED_ROUNDS = 5;

/**
 * When a space asks the server what it missed: single-flight (a request during a run makes the run go
 * round again), retried with backoff on failure, and after a short hold for a hole in the sequence, which
 * the next packet usually fills. Nothing is applied twice: the store orders by seq.
 */
export class CatchUpScheduler {
  private run: Promise<void> | null = null;
  private again = false;
  private readonly retrier: Retrier;
  private readonly hold = new Timer();

  constructor(private readonly options: CatchUpSchedulerOptions) {
    this.retrier = new Retrier(options.retry);
  }

  /** Ask the server for everything after the store's position (a no-op before the first load). */
  request(reason: string): Promise<void> {
    const { store } = this.options;
    if (this.options.stopped() || !store.loaded) return Promise.resolve();
    if (this.run) {
      this.again = true;
      return this.run;
    }
    const run = this.catchUp(reason).finally(() => {
      this.run = null;
    });
    this.run = run;
    return run;
  }

  /** A hole in the sequence: give the missing packet `holdMs` to arrive, then ask. */
  holdForGap(): void {
    this.hold.start(this.options.holdMs, () => {
      if (this.options.store.needsCatchUp()) void this.request('gap');
    });
  }

  close(): void {
    this.retrier.close();
    this.hold.close();
  }

  private async catchUp(reason: string): Promise<void> {
    const { space, api, store, opener, log, stats } = this.options;
    try {
      let stalled = 0;
      do {
        this.again = false;
        const { epoch, seq } = store.position;
        if (epoch === null) return;
        const answer: Keyed<CatchUp> = store.needsReload
          ? keyedReset(await api.snapshot(space))
          : await api.since({ space, epoch, afterSeq: seq });
        if (this.options.stopped()) return;
        await opener.setKeys(answer.keys);
        stats.catchUps++;
        if (answer.kind === 'reset') stats.resets++;
        const result = store.applyCatchUp(answer);
        log.debug(
          { space, reason, kind: answer.kind, applied: result.applied, seq: store.position.seq },
          'caught up',
        );
        stalled = result.applied > 0 ? 0 : stalled + 1;
      } while (
        (this.again || store.needsCatchUp()) &&
        stalled < MAX_STALLED_ROUNDS &&
        !this.options.stopped()
      );
      this.retrier.succeeded();
      this.options.succeeded();
    } catch (error) {
      if (this.options.stopped()) return;
      const retryInMs = this.retrier.retry(() => void this.request(`retry after ${reason}`));
      this.options.failed(error, reason, retryInMs);
    }
  }
}
