'use client';

import { memo, useState } from 'react';
import { Avatar } from '@/components/being/Avatar';
import { BotReplyFooter, isBotReply } from '@/components/bots/BotReplyFooter';
import { Markdown } from '@/components/markdown/Markdown';
import { Link } from '@/components/ui/Link';
import { answers, beingTraits } from '@/domain/being-types';
import { beingHref } from '@/lib/being-id';
import { clockTime, fullTime, shortTime, toDate } from '@/lib/format-time';
import { useClockReady } from '@/lib/use-clock-ready';
import styles from './Message.module.css';
import { MessageEditor } from './MessageEditor';
import { MessageToolbar } from './MessageToolbar';
import { useMessageActions } from './message-actions';
import { ReplyQuote } from './ReplyQuote';
import type { BeingItem, IntentionItem } from './types';

const STATE_LABELS: Partial<Record<IntentionItem['state'], string>> = {
  draft: 'draft',
  active: 'writing…',
  paused: 'paused',
  cancelled: 'cancelled',
  failed: 'failed',
};

/** What a reply shows of the message it answers (see `ReplyQuote`). */
export interface QuotedMessage {
  id: string;
  authorName: string;
  text: string | undefined;
}

interface MessageProps {
  intention: IntentionItem;
  author: BeingItem;
  continued: boolean;
  mine: boolean;
  /** The message a link pointed at. */
  highlighted?: boolean;
  quoted?: QuotedMessage;
  /** Not sent yet: the reader is offline and it goes out when the network is back. */
  waiting?: boolean;
}

/** Props are compared by value where the log builds them afresh on each render (the quote). */
function sameProps(a: MessageProps, b: MessageProps): boolean {
  return (
    a.intention === b.intention &&
    a.author === b.author &&
    a.continued === b.continued &&
    a.mine === b.mine &&
    a.highlighted === b.highlighted &&
    a.waiting === b.waiting &&
    a.quoted?.id === b.quoted?.id &&
    a.quoted?.authorName === b.quoted?.authorName &&
    a.quoted?.text === b.quoted?.text
  );
}

/**
 * One utterance. `continued` messages follow one by the same author and drop the repeated header.
 * Memoized: a busy space re-renders only the messages whose props changed.
 */
export const Message = memo(function Message({
  intention,
  author,
  continued,
  mine,
  highlighted = false,
  quoted,
  waiting = false,
}: MessageProps) {
  const actions = useMessageActions();
  const [editing, setEditing] = useState(false);
  const stateLabel = STATE_LABELS[intention.state];
  const time = toDate(intention.createdAt);
  // Times are the reader's (clock, zone, locale): none in the server's HTML, so hydration matches it.
  const clockReady = useClockReady();
  const short = clockReady ? shortTime(time) : '';
  const full = clockReady ? fullTime(time) : undefined;
  const edited = typeof intention.properties?.editedAt === 'string';
  const botReply = answers(author.type) && isBotReply(intention);
  const personReply = quoted && !botReply;
  return (
    <article
      className={`${styles.message} ${continued && !personReply ? styles.continued : ''} ${mine ? styles.mine : ''} ${highlighted ? styles.highlighted : ''}`}
      aria-label={short ? `${author.name}, ${short}` : author.name}
      aria-current={highlighted ? 'location' : undefined}
      data-intention-id={intention.id}
    >
      <div className={styles.gutter}>
        {continued && !personReply ? (
          <time className={styles.hoverTime} dateTime={time.toISOString()} title={full}>
            {clockReady ? clockTime(time) : ''}
          </time>
        ) : (
          <Avatar being={author} />
        )}
      </div>
      <div className={styles.main}>
        {personReply && quoted && (
          <ReplyQuote authorName={quoted.authorName} text={quoted.text} targetId={quoted.id} />
        )}
        {(!continued || personReply) && (
          <header className={styles.header}>
            {/* Not prefetched: a busy log shows many authors, and each prefetch is a page render on the server. */}
            <Link href={beingHref(author.id)} className={styles.author}>
              {author.name}
            </Link>
            {answers(author.type) && <span className={styles.badge}>{beingTraits[author.type].label}</span>}
            <time className={styles.time} dateTime={time.toISOString()} title={full}>
              {short}
            </time>
          </header>
        )}
        {editing && actions ? (
          <MessageEditor
            initial={intention.content}
            onSave={(content) => actions.edit(intention.id, content)}
            onDone={() => setEditing(false)}
          />
        ) : (
          <div className={styles.content}>
            <Markdown>{intention.content}</Markdown>
            {edited && (
              <span
                className={styles.edited}
                title={clockReady ? fullTime(toDate(String(intention.properties?.editedAt))) : undefined}
              >
                (edited)
              </span>
            )}
          </div>
        )}
        {waiting && (
          <p className={styles.state} role="status">
            Not sent yet: waiting for the network…
          </p>
        )}
        {botReply ? (
          <BotReplyFooter intention={intention} />
        ) : (
          stateLabel && <p className={`${styles.state} ${styles[intention.state] ?? ''}`}>{stateLabel}</p>
        )}
      </div>
      {actions && !editing && (
        <MessageToolbar intention={intention} actions={actions} onEdit={() => setEditing(true)} />
      )}
    </article>
  );
}, sameProps);
