/**
 * Token buckets keyed by a string (a space, a bot): each key holds up to `capacity` tokens and regains
 * one every `refillMs`. Pure apart from the injected clock, so it is tested without waiting.
 */
export interface RateLimiter {
  /** Take one token for `key`; when none is left, say how long until the next one. */
  take(key: string, capacity: number, refillMs: number): { ok: true } | { ok: false; retryInMs: number };
}

export function createRateLimiter(now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, capacity, refillMs) {
      const time = now();
      const bucket = buckets.get(key) ?? { tokens: capacity, at: time };
      const tokens = Math.min(capacity, bucket.tokens + (time - bucket.at) / refillMs);
      if (tokens >= 1) {
        buckets.set(key, { tokens: tokens - 1, at: time });
        return { ok: true };
      }
      buckets.set(key, { tokens, at: time });
      return { ok: false, retryInMs: Math.ceil((1 - tokens) * refillMs) };
    },
  };
}

/** Bucket parameters for "n per minute" with a burst of n. */
export function perMinute(n: number): { capacity: number; refillMs: number } {
  return { capacity: n, refillMs: 60_000 / n };
}
