import { createRateLimiter } from '../bots/rate-limit.ts';

/** Writes one being may make through the API: `writes` at once, refilled evenly over `windowMs`. */
export interface WriteRate {
  writes: number;
  windowMs: number;
}

export const defaultWriteRate: WriteRate = { writes: 30, windowMs: 10_000 };

export interface WriteLimiter {
  /** Counts one write by `beingId`; when it has none left, how many seconds until the next one. */
  take(beingId: string): { ok: true } | { ok: false; retryAfterSeconds: number };
  readonly rate: WriteRate;
}

/**
 * One token bucket per being, in this process (several app processes each allow the rate). Bots write
 * through the domain, not the API, and have their own limits (`bots/rate-limit.ts`).
 */
export function createWriteLimiter(rate: WriteRate, now?: () => number): WriteLimiter {
  const buckets = createRateLimiter(now);
  const refillMs = rate.windowMs / rate.writes;
  return {
    rate,
    take(beingId) {
      const taken = buckets.take(beingId, rate.writes, refillMs);
      return taken.ok
        ? taken
        : { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(taken.retryInMs / 1000)) };
    },
  };
}

/** Carried as the cause of a TOO_MANY_REQUESTS error, so the HTTP answer can say Retry-After. */
export class RetryAfter extends Error {
  constructor(readonly seconds: number) {
    super(`retry after ${seconds} s`);
    this.name = 'RetryAfter';
  }
}
