import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, Retrier, Timer } from '../src/index.ts';

const policy = { initialMs: 100, maxMs: 5_000 };
const highest = () => 0.999_999;

describe('backoffDelay', () => {
  it('doubles from the initial wait up to the cap, jittered to 50–100 %', () => {
    const waits = [1, 2, 3, 4, 10].map((attempt) => backoffDelay(policy, attempt, highest));
    expect(waits).toEqual([100, 200, 400, 800, 5_000]);
    expect(backoffDelay(policy, 3, () => 0)).toBe(200);
  });

  it('keeps the quick attempts under their cap, then doubles on from there', () => {
    const quick = { ...policy, quickAttempts: 4, quickMaxMs: 300 };
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((attempt) => backoffDelay(quick, attempt, highest));
    expect(waits).toEqual([100, 200, 300, 300, 600, 1_200, 2_400, 4_800, 5_000]);
    // A quick phase that ends below its cap goes on doubling as if it had none.
    const short = { ...policy, quickAttempts: 2, quickMaxMs: 1_000 };
    expect([2, 3, 4].map((attempt) => backoffDelay(short, attempt, highest))).toEqual([200, 400, 800]);
  });
});

describe('Retrier', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('schedules one retry at a time, counts failures and resets on success', () => {
    const retrier = new Retrier(policy, { random: highest });
    const run = vi.fn();
    expect(retrier.retry(run)).toBe(100);
    expect(retrier.retry(run)).toBeNull();
    vi.advanceTimersByTime(100);
    expect(run).toHaveBeenCalledTimes(1);
    expect(retrier.retry(run)).toBe(200);
    expect(retrier.attempts).toBe(2);
    retrier.succeeded();
    retrier.cancel();
    expect(retrier.retry(run)).toBe(100);
  });

  it('gives up after maxAttempts and runs nothing once closed', async () => {
    const retrier = new Retrier({ ...policy, maxAttempts: 2 }, { random: highest });
    const first = retrier.wait();
    vi.advanceTimersByTime(100);
    expect(await first).toBe(true);
    expect(await retrier.wait()).toBe(false);

    const closing = new AbortController();
    const closed = new Retrier(policy, { signal: closing.signal });
    const run = vi.fn();
    closed.retry(run);
    const waiting = new Retrier(policy, { signal: closing.signal }).wait();
    closing.abort();
    expect(await waiting).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(run).not.toHaveBeenCalled();
    expect(closed.retry(run)).toBeNull();
  });
});

describe('Timer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds one pending timeout, cancels it, and starts nothing once closed', () => {
    const timer = new Timer();
    const run = vi.fn();
    expect(timer.start(50, run)).toBe(true);
    expect(timer.start(50, run)).toBe(false);
    timer.cancel();
    vi.advanceTimersByTime(100);
    expect(run).not.toHaveBeenCalled();
    timer.start(50, run);
    vi.advanceTimersByTime(50);
    expect(run).toHaveBeenCalledTimes(1);
    timer.close();
    expect(timer.start(50, run)).toBe(false);
  });
});
