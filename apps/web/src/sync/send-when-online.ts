import { isNetworkError } from '@/lib/network-error';

/** How long a message waits for the network before the composer gives it back with an error. */
export const PENDING_SEND_LIMIT_MS = 2 * 60_000;
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 10_000;

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
 * waits for the browser to come back online (or a backoff of 1 s doubling to 10 s) and tries again, for up
 * to `PENDING_SEND_LIMIT_MS`. A server refusal is thrown at once; so is giving up, as `OfflineSendError`.
 */
export async function sendWhenOnline<T>(
  write: () => Promise<T>,
  options: { limitMs?: number; onWaiting?: (waiting: boolean) => void } = {},
): Promise<T> {
  const deadline = Date.now() + (options.limitMs ?? PENDING_SEND_LIMIT_MS);
  let delay = RETRY_MIN_MS;
  for (;;) {
    try {
      const result = await write();
      options.onWaiting?.(false);
      return result;
    } catch (error) {
      if (!isNetworkError(error)) throw error;
      if (Date.now() >= deadline) throw new OfflineSendError();
      options.onWaiting?.(true);
      await onlineOrAfter(Math.min(delay, deadline - Date.now()));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }
}

function onlineOrAfter(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    window.addEventListener('online', done);
  });
}
