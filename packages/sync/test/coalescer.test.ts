import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { burstCoalescing } from '../src/server/broadcaster.ts';
import { Coalescer } from '../src/server/coalescer.ts';

describe('Coalescer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a poke to an idle key at once', () => {
    const fired: string[] = [];
    const coalescer = new Coalescer({ quietMs: 5, maxDelayMs: 50, fire: (key) => fired.push(key) });
    coalescer.poke('@s');
    expect(fired).toEqual(['@s']);
    // The window passes with nothing waiting: the key is idle again and the next poke also fires at once.
    vi.advanceTimersByTime(5);
    expect(fired).toEqual(['@s']);
    coalescer.poke('@s');
    expect(fired).toEqual(['@s', '@s']);
  });

  it('turns the rest of a burst into one flush after the quiet time', () => {
    const fired: string[] = [];
    const coalescer = new Coalescer({ quietMs: 5, maxDelayMs: 50, fire: (key) => fired.push(key) });
    for (let i = 0; i < 10; i++) coalescer.poke('@s');
    expect(fired).toEqual(['@s']);
    vi.advanceTimersByTime(4);
    expect(fired).toEqual(['@s']);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual(['@s', '@s']);
    vi.advanceTimersByTime(100);
    expect(fired).toEqual(['@s', '@s']);
  });

  it('never keeps a poke of a steady stream waiting longer than maxDelayMs', () => {
    const firedAt: number[] = [];
    const pokedAt: number[] = [];
    const coalescer = new Coalescer({ quietMs: 20, maxDelayMs: 50, fire: () => firedAt.push(Date.now()) });
    // A poke every 10 ms never leaves 20 ms of quiet.
    for (let t = 0; t < 300; t += 10) {
      pokedAt.push(Date.now());
      coalescer.poke('@busy');
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(100);
    expect(firedAt[0]).toBe(pokedAt[0]);
    expect(firedAt.length).toBeGreaterThanOrEqual(6);
    for (const at of pokedAt) {
      const next = firedAt.find((fired) => fired >= at);
      expect(next).toBeDefined();
      expect((next ?? Number.POSITIVE_INFINITY) - at).toBeLessThanOrEqual(50);
    }
  });

  it('keeps keys apart and drains what waits at shutdown', () => {
    const fired: string[] = [];
    const coalescer = new Coalescer({ quietMs: 100, maxDelayMs: 100, fire: (key) => fired.push(key) });
    coalescer.poke('@a');
    coalescer.poke('@b');
    coalescer.poke('@b');
    expect(fired).toEqual(['@a', '@b']);
    coalescer.drain();
    expect(fired).toEqual(['@a', '@b', '@b']);
    vi.advanceTimersByTime(200);
    expect(fired).toHaveLength(3);
  });

  it("with the broadcaster's defaults, a steady 50 commits a second share flushes, none waiting past maxDelayMs", () => {
    const firedAt: number[] = [];
    const pokedAt: number[] = [];
    const coalescer = new Coalescer({ ...burstCoalescing, fire: () => firedAt.push(Date.now()) });
    const start = Date.now();
    for (let i = 0; i < 50; i++) {
      pokedAt.push(Date.now());
      coalescer.poke('@busy');
      vi.advanceTimersByTime(20);
    }
    vi.advanceTimersByTime(burstCoalescing.maxDelayMs);
    expect(firedAt.length).toBeLessThanOrEqual(25);
    // Every poke is covered by a fire at or after it, within maxDelayMs.
    for (const poked of pokedAt) {
      const covering = firedAt.find((fired) => fired >= poked);
      expect(covering, `poke at ${poked - start} ms`).toBeDefined();
      expect((covering as number) - poked).toBeLessThanOrEqual(burstCoalescing.maxDelayMs);
    }
  });
});
