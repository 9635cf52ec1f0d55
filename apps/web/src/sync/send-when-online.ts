import { Retrier } from '@rhizom/retry';
import { isNetworkError } from '@/lib/network-error';

/** How long a message waits for the network before the composer gives it back with an error. */
export const PENDING_SEND_LIMIT_MS = 2 * 60_000;
const RETRY = { initialMs: 1_000, maxMs: 10_000 };

export class OfflineSendError extends Error {
  constructor() {
    super(
      'You are offline and your message could not be sent. It is back in the box: send it again once you are online.',
    );
    this.name = 'OfflineSendError';
  }
}

/**
 * Runs an idempotent write (a post with its client-chosen id) until the server answers: a network failure
 * waits for the browser to come back online (or a jittered backoff of 1 s doubling to 10 s) and tries
 * again, for up to `PENDING_SEND_LIMIT_MS`. A server refusal is thrown at once; so is giving up, as `OfflineSendError`.
 */
export async function sendWhenOnline<T>(
  write: () => Promise<T>,
  options: { limitMs?: number; onWaiting?: (waiting: boolean) => void } = {},
): Promise<T> {
  const deadline = Date.now() + (options.limitMs ?? PENDING_SEND_LIMIT_MS);
  const retrier = new Retrier(RETRY);
  for (;;) {
    try {
      const result = await write();
      options.onWaiting?.(false);
      return result;
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      if (Date.now() >= deadline) throw new OfflineSendError();
      options.onWaiting?.(true);
      await onlineOrBackoff(retrier, deadline);
    }
  }
}

/** The retrier's backoff, cut short when the browser comes back online or the deadline comes. */
async function onlineOrBackoff(retrier: Retrier, deadline: number): Promise<void> {
  const wake = () => retrier.cancel();
  const atDeadline = setTimeout(wake, Math.max(0, deadline - Date.now()));
  window.addEventListener('online', wake);
  try {
    await retrier.wait();
  } finally {
    clearTimeout(atDeadline);
    window.removeEventListener('online', wake);
  }
}
