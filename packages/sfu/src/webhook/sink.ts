import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebhookEvent } from '@livekit/protocol';
import { type BackoffPolicy, Retrier } from '@rhizom/retry';
import type { Logger } from 'pino';
import type { WebhookEventName, WebhookSink } from '../ports.ts';
import { type SigningKey, signingKey, signWebhook, type WebhookKeys } from './sign.ts';

export interface WebhookSinkOptions {
  /** The receiver's URL; every event is POSTed to it. */
  url: string;
  keys: WebhookKeys;
  /** With several keys, the one that signs (livekit-server's `webhook.api_key`); default the first. */
  apiKey?: string;
  logger: Logger;
  /** Events waiting beyond this many are dropped and counted in the next event's `numDropped`. */
  maxQueue?: number;
  /** Delivery attempts per event (first try included). */
  attempts?: number;
  /** Time one attempt may take before it counts as failed. */
  attemptTimeoutMs?: number;
  /** Wait before the first retry (jittered); doubled for each later one, up to 10 s. */
  retryDelayMs?: number;
}

export interface HttpWebhookSink extends WebhookSink {
  /** Events dropped so far (queue full, or every attempt failed). */
  readonly numDropped: number;
  /** Events queued or in flight. */
  readonly pending: number;
}

const DEFAULT_FLUSH_TIMEOUT_MS = 5_000;

/**
 * Delivers webhooks the way livekit-server does: proto3-JSON `WebhookEvent`s POSTed one at a time
 * in order, signed, retried, from a bounded queue. `emit` only enqueues, so a slow or failing
 * receiver costs rooms nothing but dropped events.
 */
export function createWebhookSink(options: WebhookSinkOptions): HttpWebhookSink {
  const key = signingKey(options.keys, options.apiKey);
  const log = options.logger.child({ webhook: options.url });
  const maxQueue = options.maxQueue ?? 1_000;
  const attempts = Math.max(1, options.attempts ?? 3);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
  const retryPolicy: BackoffPolicy = {
    initialMs: options.retryDelayMs ?? 500,
    maxMs: 10_000,
    maxAttempts: attempts,
  };

  const queue: WebhookEvent[] = [];
  let inFlight = false;
  let numDropped = 0;
  /** Dropped since the last event that went out; reported in that event's `numDropped`. */
  let unreported = 0;
  let abort = new AbortController();
  /**
   * Set by `flush` (shutdown): each event gets one attempt and, once one fails, the rest are dropped.
   * The receiver is often the app the SFU is shutting down beside; retrying it only delays the exit.
   */
  let closing = false;
  /** Aborted by `flush`, to cut a wait between retries short. */
  let retryWait = new AbortController();
  const idleWaiters: Array<() => void> = [];

  const drop = (count: number, reason: string, event: WebhookEvent) => {
    numDropped += count;
    unreported += count;
    log.warn(
      { event: event.event, id: event.id, room: event.room?.name, numDropped },
      `webhook dropped: ${reason}`,
    );
  };

  async function drain(): Promise<void> {
    inFlight = true;
    for (let event = queue.shift(); event !== undefined; event = queue.shift()) {
      event.numDropped = unreported;
      unreported = 0;
      const error = await deliver(event, key, abort.signal);
      if (error !== undefined) {
        unreported += event.numDropped;
        if (closing) {
          const count = 1 + queue.splice(0).length;
          numDropped += count;
          unreported += count;
          log.info({ numDropped, failure: error }, `shutting down: ${count} webhook(s) not delivered`);
          break;
        }
        drop(1, error, event);
      }
    }
    inFlight = false;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  async function deliver(event: WebhookEvent, signing: SigningKey, signal: AbortSignal) {
    const body = event.toJsonString();
    let failure = 'not sent';
    const retrier = new Retrier(retryPolicy, { signal: AbortSignal.any([signal, retryWait.signal]) });
    for (;;) {
      if (signal.aborted) return 'the sink was flushed before delivery';
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/webhook+json',
            Authorization: await signWebhook(body, signing),
          },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(attemptTimeoutMs)]),
        });
        await response.arrayBuffer();
        if (response.ok) {
          log.debug({ event: event.event, id: event.id, room: event.room?.name }, 'webhook delivered');
          return undefined;
        }
        failure = `receiver answered HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 408 && response.status !== 429) return failure;
      } catch (error) {
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (closing) return failure;
      log.info(
        { event: event.event, id: event.id, attempt: retrier.attempts + 1, failure },
        'webhook attempt failed',
      );
      if (!(await retrier.wait())) break;
    }
    // Flushed during the wait: shutting down, so no further attempt (see `closing`).
    if (!retrier.exhausted) return signal.aborted ? 'the sink was flushed before delivery' : failure;
    return `${attempts} attempts failed, last: ${failure}`;
  }

  return {
    get numDropped() {
      return numDropped;
    },
    get pending() {
      return queue.length + (inFlight ? 1 : 0);
    },
    emit(name: WebhookEventName, payload) {
      try {
        const event = new WebhookEvent({
          id: `EV_${randomBytes(9).toString('base64url')}`,
          event: name,
          // Snapshots: the room state changes after emit returns.
          room: payload.room.clone(),
          participant: payload.participant?.clone(),
          createdAt: BigInt(Math.floor(Date.now() / 1000)),
        });
        if (queue.length >= maxQueue) return drop(1, `queue full (${maxQueue} events)`, event);
        queue.push(event);
        if (!inFlight) void drain();
      } catch (error) {
        log.error({ err: error, event: name }, 'webhook could not be queued');
      }
    },
    async flush(timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS) {
      if (!inFlight) return;
      closing = true;
      retryWait.abort();
      try {
        await settle(timeoutMs);
      } finally {
        closing = false;
        retryWait = new AbortController();
      }
    },
  };

  async function settle(timeoutMs: number): Promise<void> {
    const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
    const timer = sleep(timeoutMs, 'timeout' as const, { ref: false });
    if ((await Promise.race([idle, timer])) !== 'timeout') return;
    // Shutdown cannot wait forever on a dead receiver: abandon what is left, and say so.
    log.warn({ pending: queue.length + 1 }, `webhooks not delivered within ${timeoutMs} ms were dropped`);
    abort.abort();
    await idle;
    abort = new AbortController();
  }
}
