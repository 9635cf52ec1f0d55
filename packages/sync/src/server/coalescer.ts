/**
 * Debounce with a ceiling, per key: a key poked repeatedly fires `quietMs` after the last poke, but never
 * later than `maxDelayMs` after the first one, so a burst becomes one flush and a steady stream still
 * flushes at least every `maxDelayMs`.
 */
export class Coalescer {
  private readonly timers = new Map<string, { timer: NodeJS.Timeout; firstAt: number }>();

  constructor(
    private readonly options: { quietMs: number; maxDelayMs: number; fire: (key: string) => void },
  ) {}

  poke(key: string): void {
    const now = Date.now();
    const current = this.timers.get(key);
    const firstAt = current?.firstAt ?? now;
    if (current) clearTimeout(current.timer);
    const delay = Math.max(0, Math.min(this.options.quietMs, firstAt + this.options.maxDelayMs - now));
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.options.fire(key);
    }, delay);
    this.timers.set(key, { timer, firstAt });
  }

  /** Fire every waiting key now (used at shutdown so nothing waits for a timer that will not run). */
  drain(): void {
    const keys = [...this.timers.keys()];
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const key of keys) this.options.fire(key);
  }
}
