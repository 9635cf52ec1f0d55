interface Window {
  timer: NodeJS.Timeout;
  /** When the first poke still waiting to fire came; null while nothing waits. */
  waitingSince: number | null;
}

/**
 * Flushes on the leading edge, coalesces the rest, per key. A poke to an idle key fires at once and
 * opens a window; pokes inside it wait until `quietMs` after the last one, but never longer than
 * `maxDelayMs` after the first, then fire together and open a new window. A window that ends with nothing
 * waiting leaves the key idle. So a lone write goes out immediately, a burst shares flushes, and a steady
 * stream still flushes at least every `maxDelayMs`.
 */
export class Coalescer {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly options: { quietMs: number; maxDelayMs: number; fire: (key: string) => void },
  ) {}

  poke(key: string): void {
    const window = this.windows.get(key);
    if (!window) {
      this.open(key);
      this.options.fire(key);
      return;
    }
    const now = Date.now();
    window.waitingSince ??= now;
    clearTimeout(window.timer);
    const delay = Math.max(
      0,
      Math.min(this.options.quietMs, window.waitingSince + this.options.maxDelayMs - now),
    );
    window.timer = setTimeout(() => this.close(key), delay);
  }

  /** Fire every waiting key now (used at shutdown so nothing waits for a timer that will not run). */
  drain(): void {
    const waiting = [...this.windows]
      .filter(([, window]) => window.waitingSince !== null)
      .map(([key]) => key);
    for (const { timer } of this.windows.values()) clearTimeout(timer);
    this.windows.clear();
    for (const key of waiting) this.options.fire(key);
  }

  private open(key: string): void {
    this.windows.set(key, {
      timer: setTimeout(() => this.close(key), this.options.quietMs),
      waitingSince: null,
    });
  }

  private close(key: string): void {
    const window = this.windows.get(key);
    this.windows.delete(key);
    if (!window || window.waitingSince === null) return;
    this.open(key);
    this.options.fire(key);
  }
}
