import { describe, expect, it } from 'vitest';
import { createRateLimiter, perMinute } from '../../src/bots/rate-limit.ts';

describe('token bucket rate limiter', () => {
  it('allows a burst of its capacity, then one per refill interval, per key', () => {
    let now = 0;
    const limiter = createRateLimiter(() => now);
    const { capacity, refillMs } = perMinute(3);
    expect(refillMs).toBe(20_000);
    for (let i = 0; i < 3; i++) expect(limiter.take('a', capacity, refillMs)).toEqual({ ok: true });
    expect(limiter.take('a', capacity, refillMs)).toEqual({ ok: false, retryInMs: 20_000 });
    expect(limiter.take('b', capacity, refillMs)).toEqual({ ok: true });
    now = 15_000;
    expect(limiter.take('a', capacity, refillMs)).toEqual({ ok: false, retryInMs: 5_000 });
    now = 20_000;
    expect(limiter.take('a', capacity, refillMs)).toEqual({ ok: true });
    now = 10_000_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('a', capacity, refillMs).ok).toBe(true);
    expect(limiter.take('a', capacity, refillMs).ok).toBe(false);
  });
});
