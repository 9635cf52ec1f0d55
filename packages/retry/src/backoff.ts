/** How a retried task waits between attempts. */
export interface BackoffPolicy {
  /** The first wait, before jitter. */
  initialMs: number;
  /** The longest wait, before jitter. */
  maxMs: number;
  /**
   * The first `quickAttempts` waits stay under `quickMaxMs` (default: no quick phase): a brief outage,
   * the common kind, ends within a second of its cause, and only a long one backs off to `maxMs`.
   */
  quickAttempts?: number;
  quickMaxMs?: number;
  /** Failures after which the task gives up (default: it never does). */
  maxAttempts?: number;
}

/**
 * The wait before retrying after the `attempt`-th failure in a row (1-based): `initialMs` doubling up
 * to the cap, then scaled by a random 50–100 % so that clients dropped together do not return together.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const quick = attempt <= (policy.quickAttempts ?? 0);
  const cap = quick ? Math.min(policy.maxMs, policy.quickMaxMs ?? policy.maxMs) : policy.maxMs;
  const exponential = Math.min(cap, policy.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.5 + random() / 2));
}
