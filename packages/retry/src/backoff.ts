/** How a retried task waits between attempts. */
export interface BackoffPolicy {
  /** The first wait, before jitter. */
  initialMs: number;
  /** The longest wait, before jitter. */
  maxMs: number;
  /**
   * The first `quickAttempts` waits stay under `quickMaxMs` (default: no quick phase): a brief outage,
   * the common kind, ends within a second of its cause, and only a long one backs off to `maxMs`,
   * doubling from `quickMaxMs` (no jump from a second to the cap).
   */
  quickAttempts?: number;
  quickMaxMs?: number;
  /** Failures after which the task gives up (default: it never does). */
  maxAttempts?: number;
}

/**
 * The wait before retrying after the `attempt`-th failure in a row (1-based): `initialMs` doubling up
 * to the cap (`quickMaxMs` during the quick phase, then doubling on from its last wait up to `maxMs`),
 * scaled by a random 50–100 % so that clients dropped together do not return together.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  return Math.round(unjittered(policy, attempt) * (0.5 + random() / 2));
}

function unjittered(policy: BackoffPolicy, failures: number): number {
  const attempt = Math.max(1, failures);
  const quickAttempts = policy.quickAttempts ?? 0;
  if (quickAttempts === 0) return Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
  const quickCap = Math.min(policy.maxMs, policy.quickMaxMs ?? policy.maxMs);
  const quick = Math.min(quickCap, policy.initialMs * 2 ** (Math.min(attempt, quickAttempts) - 1));
  return attempt <= quickAttempts ? quick : Math.min(policy.maxMs, quick * 2 ** (attempt - quickAttempts));
}
