import { type BackoffPolicy, backoffDelay } from './backoff.ts';
import { Timer } from './timer.ts';

export interface RetrierOptions {
  /** Closes the retrier when aborted (a server shutting down ends every wait at once). */
  signal?: AbortSignal;
  /** For tests: the jitter source. */
  random?: () => number;
}

/**
 * The retry state of one task: the failures in a row, the backoff they earn, the pending retry, and
 * close. A callback task calls `retry(run)` on each failure; an async loop awaits `wait()`; both call
 * `succeeded()` when an attempt works, which starts the next outage from the quick end again.
 */
export class Retrier {
  private failures = 0;
  private readonly timer = new Timer();
  private readonly random: () => number;
  private readonly signal: AbortSignal | undefined;
  /** Ends what is pending (a retry or a `wait()`, which resolves false); set only while something is. */
  private stopPending: (() => void) | null = null;

  constructor(
    readonly policy: BackoffPolicy,
    options: RetrierOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.signal = options.signal;
  }

  /** Failures since the last success. */
  get attempts(): number {
    return this.failures;
  }

  /** A retry is waiting to run. */
  get scheduled(): boolean {
    return this.stopPending !== null;
  }

  get closed(): boolean {
    return this.timer.closed || this.signal?.aborted === true;
  }

  /** Out of attempts: `policy.maxAttempts` failures in a row. */
  get exhausted(): boolean {
    return this.policy.maxAttempts !== undefined && this.failures >= this.policy.maxAttempts;
  }

  /**
   * Count a failure and run `run` after its backoff. Returns the wait, or null when nothing was
   * scheduled: closed, exhausted, or a retry is already pending (that one covers this failure too).
   */
  retry(run: () => void): number | null {
    if (this.closed || this.scheduled) return null;
    this.failures++;
    if (this.exhausted) return null;
    const delay = backoffDelay(this.policy, this.failures, this.random);
    this.schedule(delay, run, () => {});
    return delay;
  }

  /**
   * Count a failure and wait its backoff. Resolves true when the caller should try again, false when it
   * should stop: out of attempts, or closed (or cancelled) before or during the wait.
   */
  wait(onDelay?: (delay: number) => void): Promise<boolean> {
    if (this.closed || this.scheduled) return Promise.resolve(false);
    this.failures++;
    if (this.exhausted) return Promise.resolve(false);
    const delay = backoffDelay(this.policy, this.failures, this.random);
    onDelay?.(delay);
    return new Promise((resolve) =>
      this.schedule(
        delay,
        () => resolve(true),
        () => resolve(false),
      ),
    );
  }

  /** The pending retry will not run (the caller runs the task now instead); a pending `wait()` ends with false. */
  cancel(): void {
    this.stopPending?.();
  }

  succeeded(): void {
    this.failures = 0;
  }

  /** Cancels what is pending and refuses every later retry. */
  close(): void {
    this.cancel();
    this.timer.close();
  }

  /** The abort listener lives only while something is pending, so a long-lived signal gathers none. */
  private schedule(delay: number, run: () => void, stopped: () => void): void {
    const onAbort = () => this.cancel();
    const settle = () => {
      this.stopPending = null;
      this.signal?.removeEventListener('abort', onAbort);
    };
    this.stopPending = () => {
      settle();
      this.timer.cancel();
      stopped();
    };
    this.signal?.addEventListener('abort', onAbort, { once: true });
    this.timer.start(delay, () => {
      settle();
      run();
    });
  }
}
