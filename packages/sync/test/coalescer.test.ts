import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer } from '../src/server/coalescer.ts';

describe('Coalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns a burst into one flush after the quiet time', () => {
    const fired: string[] = [];
    const coalescer = new Coalescer({ quietMs: 5, maxDelayMs: 50, fire: (key) => fired.push(key) });
    for (let i = 0; i < 10; i++) coalescer.poke('@s');
    vi.advanceTimersByTime(4);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['@s']);
  });

  it('still flushes a steady stream at least every maxDelayMs', () => {
    const firedAt: number[] = [];
    const coalescer = new Coalescer({ quietMs: 20, maxDelayMs: 50, fire: () => firedAt.push(Date.now()) });
    const start = Date.now();
    // A poke every 10 ms never leaves 20 ms of quiet.
    for (let t = 0; t < 300; t += 10) {
      coalescer.poke('@busy');
      vi.advanceTimersByTime(10);
    }
    const gaps = firedAt.map((at, i) => at - (i === 0 ? start : (firedAt[i - 1] ?? start)));
    expect(firedAt.length).toBeGreaterThanOrEqual(5);
    for (const gap of gaps) expect(gap).toBeLessThanOrEqual(60);
  });

  it('keeps keys apart and drains what waits at shutdown', () => {
    const fired: string[] = [];
    const coalescer = new Coalescer({ quietMs: 100, maxDelayMs: 100, fire: (key) => fired.push(key) });
    coalescer.poke('@a');
    coalescer.poke('@b');
    coalescer.drain();
    expect(fired.sort()).toEqual(['@a', '@b']);
    vi.advanceTimersByTime(200);
    expect(fired).toHaveLength(2);
  });
});
