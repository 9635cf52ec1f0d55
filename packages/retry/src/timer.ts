/**
 * One cancellable timeout: at most one pending at a time, cleared by `cancel`, and inert once closed,
 * so an owner that closes its timers knows nothing it scheduled runs afterwards.
 */
export class Timer {
  private handle: ReturnType<typeof setTimeout> | null = null;
  private isClosed = false;

  get pending(): boolean {
    return this.handle !== null;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Runs `run` after `ms`; false (and nothing scheduled) if one is already pending or the timer is closed. */
  start(ms: number, run: () => void): boolean {
    if (this.handle !== null || this.isClosed) return false;
    this.handle = setTimeout(() => {
      this.handle = null;
      run();
    }, ms);
    return true;
  }

  cancel(): void {
    if (this.handle !== null) clearTimeout(this.handle);
    this.handle = null;
  }

  close(): void {
    this.isClosed = true;
    this.cancel();
  }
}
