import { backoffDelay } from '@rhizom/retry';
import type { ReconnectContext, ReconnectPolicy } from 'livekit-client';

/**
 * livekit-client's own reconnect schedule for a dropped room, kept within a second so that a room is
 * back within a second of its server (LiveKit's default waits up to 7 s between tries, ~10 s in all).
 * After `giveUpMs` the room gives up and the space connection's backoff takes over: a fresh token and
 * room, at a pace that grows for long outages.
 */
export class QuickReconnectPolicy implements ReconnectPolicy {
  constructor(
    private readonly options = { initialMs: 100, maxMs: 1_000, giveUpMs: 15_000 },
    private readonly random: () => number = Math.random,
  ) {}

  nextRetryDelayInMs(context: ReconnectContext): number | null {
    if (context.elapsedMs >= this.options.giveUpMs) return null;
    if (context.retryCount === 0) return 0;
    return backoffDelay(this.options, context.retryCount, this.random);
  }
}
