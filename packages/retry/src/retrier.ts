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
  /** Resolves the pending `wait()` early with false (close). */
  private wake: (() => void) | null = null;

  constructor(
    readonly policy: BackoffPolicy,
    options: RetrierOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    if (options.signal?.aborted) this.close();
    else options.signal?.addEventListener('abort', () => this.close(), { once: true });
  }

  /** Failures since the last success. */
  get attempts(): number {
    return this.failures;
  }

  /** A retry is waiting to run. */
  get scheduled(): boolean {
    return this.timer.pending || this.wake !== null;
  }

  get closed(): boolean {
    return this.timer.closed;
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
    if (this.closed || this.timer.pending) return null;
    this.failures++;
    if (this.exhausted) return null;
    const delay = backoffDelay(this.policy, this.failures, this.random);
    this.timer.start(delay, run);
    return delay;
  }

  /**
   * Count a failure and wait its backoff. Resolves true when the caller should try again, false when it
   * should stop: out of attempts, or closed before or during the wait.
   */
  wait(onDelay?: (delay: number) => void): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    this.failures++;
    if (this.exhausted) return Promise.resolve(false);
    const delay = backoffDelay(this.policy, this.failures, this.random);
    onDelay?.(delay);
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = null;
        this.timer.cancel();
        resolve(false);
      };
      this.timer.start(delay, () => {
        this.wake = null;
        resolve(true);
      });
    });
  }

  /** The pending retry will not run (the caller runs the task now instead); a pending `wait()` ends with false. */
  cancel(): void {
    this.timer.cancel();
    this.wake?.();
  }

  succeeded(): void {
    this.failures = 0;
  }

  /** Cancels the pending retry, ends a pending `wait()` with false, and refuses every later one. */
  close(): void {
    this.timer.close();
    this.wake?.();
  }
}
