'use client';

import { useState } from 'react';
import { errorMessage } from '@/lib/error-message';
import styles from './MessageToolbar.module.css';
import { type MessageActions, mayDelete, mayEdit } from './message-actions';
import type { IntentionItem } from './types';

/**
 * Reply, copy link, edit and delete for one message: shown on hover or focus (always on touch screens).
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
    >
      {notice && (
        <span className={styles.notice} role="status">
          {notice}
        </span>
      )}
      {signedIn && (
        <button type="button" onClick={() => actions.reply(intention)}>
          Reply
        </button>
      )}
      <button type="button" onClick={() => void copyLink()}>
        Copy link
      </button>
      {mayEdit(actions, intention) && (
        <button type="button" onClick={onEdit}>
          Edit
        </button>
      )}
      {mayDelete(actions, intention) && (
        <button type="button" onClick={() => setConfirming(true)}>
          Delete
        </button>
      )}
    </div>
  );
}
