import Link from 'next/link';
import { Avatar } from '@/components/being/Avatar';
import { BotReplyFooter, isBotReply } from '@/components/bots/BotReplyFooter';
import { Markdown } from '@/components/markdown/Markdown';
import { beingHref } from '@/lib/being-id';
import { clockTime, fullTime, shortTime, toDate } from '@/lib/format-time';
import styles from './Message.module.css';
import type { BeingItem, IntentionItem } from './types';

const STATE_LABELS: Partial<Record<IntentionItem['state'], string>> = {
  draft: 'draft',
  active: 'writing…',
  paused: 'paused',
  cancelled: 'cancelled',
  failed: 'failed',
};

/** One utterance. `continued` messages follow one by the same author and drop the repeated header. */
export function Message({
  intention,
  author,
  continued,
  mine,
}: {
  intention: IntentionItem;
  author: BeingItem;
  continued: boolean;
  mine: boolean;
}) {
  const stateLabel = STATE_LABELS[intention.state];
  const time = toDate(intention.createdAt);
  return (
    <article
      className={`${styles.message} ${continued ? styles.continued : ''} ${mine ? styles.mine : ''}`}
      aria-label={`${author.name}, ${shortTime(time)}`}
      data-intention-id={intention.id}
    >
      <div className={styles.gutter}>
        {continued ? (
          <time className={styles.hoverTime} dateTime={time.toISOString()} title={fullTime(time)}>
            {clockTime(time)}
          </time>
        ) : (
          <Avatar being={author} />
        )}
      </div>
      <div className={styles.main}>
        {!continued && (
          <header className={styles.header}>
            <Link href={beingHref(author.id)} className={styles.author}>
              {author.name}
            </Link>
            {author.type === 'bot' && <span className={styles.badge}>bot</span>}
            <time className={styles.time} dateTime={time.toISOString()} title={fullTime(time)}>
              {shortTime(time)}
            </time>
          </header>
        )}
        <div className={styles.content}>
          <Markdown>{intention.content}</Markdown>
        </div>
        {author.type === 'bot' && isBotReply(intention) ? (
          <BotReplyFooter intention={intention} />
        ) : (
          stateLabel && <p className={`${styles.state} ${styles[intention.state] ?? ''}`}>{stateLabel}</p>
        )}
      </div>
    </article>
  );
}
