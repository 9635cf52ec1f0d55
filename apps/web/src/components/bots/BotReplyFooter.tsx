'use client';

import { useMutation } from '@tanstack/react-query';
import { readReplyProperties } from '@/bots/reply';
import { errorMessage } from '@/lib/error-message';
import { useTRPC } from '@/lib/trpc';
import { useMe } from '@/lib/use-me';
import styles from './BotReplyFooter.module.css';
import { replyEnding } from './reply-ending';

export interface BotReplyLike {
  id: string;
  state: string;
  properties?: Record<string, unknown>;
}

/** Whether an intention is a bot reply this footer knows how to describe. */
export function isBotReply(intention: BotReplyLike): boolean {
  return readReplyProperties(intention.properties ?? {}) !== null;
}

/**
 * Under a bot reply: a live "writing" marker with Stop for the author of the message it answers while
 * it streams; the reason when it failed or was stopped; which model (or the offline bot) wrote it.
 */
export function BotReplyFooter({ intention }: { intention: BotReplyLike }) {
  const trpc = useTRPC();
  const me = useMe();
  const stop = useMutation(trpc.bot.cancelReply.mutationOptions());
  const meta = readReplyProperties(intention.properties ?? {});
  if (!meta) return null;
  const mayStop = intention.state === 'active' && Boolean(me.being) && me.being?.id === meta.replyToAuthor;

  if (intention.state === 'active') {
    return (
      <div className={styles.footer}>
        <span className={styles.writing} role="status">
          <span className={styles.pulse} aria-hidden="true" />
          {meta.offline ? 'Offline bot is writing…' : 'Writing…'}
        </span>
        {mayStop && (
          <button
            type="button"
            className={`button button-quiet ${styles.stop}`}
            onClick={() => stop.mutate({ replyId: intention.id })}
            disabled={stop.isPending}
          >
            {stop.isPending ? 'Stopping…' : 'Stop'}
          </button>
        )}
        {stop.error && (
          <span className={styles.error} role="alert">
            {errorMessage(stop.error)}
          </span>
        )}
      </div>
    );
  }
  if (intention.state === 'failed' || intention.state === 'cancelled') {
    return (
      <div className={styles.footer}>
        <p className={intention.state === 'failed' ? styles.failed : styles.cancelled} role="note">
          {replyEnding(intention.state, meta.error)}
        </p>
      </div>
    );
  }
  return (
    <div className={styles.footer}>
      <span className={meta.offline ? styles.offline : styles.provider} title="What wrote this reply">
        {meta.offline ? 'offline bot · no model configured' : meta.provider}
      </span>
    </div>
  );
}
