'use client';

import { type KeyboardEvent, useState } from 'react';
import { errorMessage } from '@/lib/error-message';
import styles from './MessageToolbar.module.css';
import { type MessageActions, mayDelete, mayEdit } from './message-actions';
import type { IntentionItem } from './types';

/**
 * Reply, copy link, edit and delete for one message: shown on hover or focus (always on touch screens).
 * A toolbar as ARIA describes it: one Tab stop per message, the arrow keys move between its buttons, so a
 * keyboard reaches every action without tabbing through four buttons per message.
 * Delete asks once more in place, so a slip does not lose a message.
 */
export function MessageToolbar({
  intention,
  actions,
  onEdit,
}: {
  intention: IntentionItem;
  actions: MessageActions;
  onEdit: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string>();
  const signedIn = Boolean(actions.myBeingId);

  const copyLink = async () => {
    const link = actions.linkTo(intention.id);
    try {
      await navigator.clipboard.writeText(link);
      setNotice('Link copied');
    } catch {
      // No clipboard permission (or an insecure origin): show the link so it can be copied by hand.
      setNotice(link);
    }
  };

  const remove = async () => {
    try {
      await actions.remove(intention.id);
    } catch (error) {
      setConfirming(false);
      setNotice(errorMessage(error, 'The message could not be deleted. Try again.'));
    }
  };

  if (confirming) {
    return (
      <div className={`${styles.toolbar} ${styles.open}`} role="toolbar" aria-label="Delete this message?">
        <span className={styles.question}>Delete this message?</span>
        <button type="button" className={styles.danger} onClick={() => void remove()}>
          Delete
        </button>
        <button type="button" onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div
      className={`${styles.toolbar} ${notice ? styles.open : ''}`}
      role="toolbar"
      aria-label="Message actions"
      onKeyDown={moveFocus}
    >
      {notice && (
        <span className={styles.notice} role="status">
          {notice}
        </span>
      )}
      {signedIn && (
        <button type="button" tabIndex={0} onClick={() => actions.reply(intention)}>
          Reply
        </button>
      )}
      <button type="button" tabIndex={signedIn ? -1 : 0} onClick={() => void copyLink()}>
        Copy link
      </button>
      {mayEdit(actions, intention) && (
        <button type="button" tabIndex={-1} onClick={onEdit}>
          Edit
        </button>
      )}
      {mayDelete(actions, intention) && (
        <button type="button" tabIndex={-1} onClick={() => setConfirming(true)}>
          Delete
        </button>
      )}
    </div>
  );
}

const NEXT: Record<string, (index: number, count: number) => number> = {
  ArrowRight: (index, count) => (index + 1) % count,
  ArrowLeft: (index, count) => (index - 1 + count) % count,
  Home: () => 0,
  End: (_index, count) => count - 1,
};

/** Arrow keys, Home and End move focus between the toolbar's buttons (its one Tab stop stays first). */
function moveFocus(event: KeyboardEvent<HTMLDivElement>): void {
  const next = NEXT[event.key];
  if (!next) return;
  const buttons = [...event.currentTarget.querySelectorAll('button')];
  const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (index < 0) return;
  event.preventDefault();
  buttons[next(index, buttons.length)]?.focus();
}
