'use client';

import { type FormEvent, type KeyboardEvent, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { MESSAGE_BOX_ID } from '@/components/shell/SkipLink';
import { errorMessage } from '@/lib/error-message';
import styles from './Composer.module.css';

const MAX_ROWS_HEIGHT = 240;

/**
 * The message box. Enter sends, Shift+Enter starts a new line (IME composition is left alone); on touch
 * screens Enter is a new line and the Send button sends. The box empties at once (the message shows
 * optimistically, and waits there while offline), so the next message can be typed before the last one
 * is confirmed; a send that finally fails puts its text back with the reason.
 */
export function Composer({
  spaceName,
  onSend,
  maxLength,
  replyingTo,
  onCancelReply,
}: {
  spaceName: string;
  /** `replyTo` is the id of the message this one answers, when there is one. */
  onSend: (content: string, replyTo?: string) => Promise<void>;
  maxLength?: number;
  /** The message being answered, shown above the box until sent or cancelled. */
  replyingTo?: { id: string; authorName: string };
  onCancelReply?: () => void;
}) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string>();
  const box = useRef<HTMLTextAreaElement>(null);

  // The box takes typing from the server's HTML on, before the scripts have loaded and run (a busy space
  // can keep a page that long). React leaves such text in the DOM at hydration but not in state, and its
  // next render would blank it: adopt it before that render. The Send button only works from here on.
  useLayoutEffect(() => {
    const typed = box.current?.value;
    if (typed) setDraft(typed);
  }, []);

  // Grow with the text up to a limit, then scroll inside; re-measured whenever the text changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the height depends on the rendered draft
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_ROWS_HEIGHT)}px`;
  }, [draft]);

  const tooLong = maxLength !== undefined && draft.length > maxLength;
  const canSend = draft.trim().length > 0 && !tooLong;

  async function send() {
    if (!canSend) return;
    const content = draft.trim();
    const replyTo = replyingTo?.id;
    setError(undefined);
    setDraft('');
    onCancelReply?.();
    box.current?.focus();
    try {
      await onSend(content, replyTo);
    } catch (e) {
      // Restore the text unless something new was typed meanwhile; either way nothing is lost silently.
      setDraft((current) => (current === '' ? content : current));
      setError(errorMessage(e, 'Your message could not be sent. Try again.'));
      box.current?.focus();
    }
  }

  // Reply was chosen on a message: the box is where the answer goes.
  useEffect(() => {
    if (replyingTo) box.current?.focus();
  }, [replyingTo]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === 'Escape' && replyingTo) onCancelReply?.();
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing && !isTouchScreen()) {
      event.preventDefault();
      void send();
    }
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    void send();
  }

  return (
    <form className={styles.composer} onSubmit={onSubmit}>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {replyingTo && (
        <div className={styles.replying}>
          <span>
            Replying to <strong>{replyingTo.authorName}</strong>
          </span>
          <button type="button" className="button button-quiet" onClick={onCancelReply}>
            Cancel reply
          </button>
        </div>
      )}
      <div className={styles.box}>
        <textarea
          ref={box}
          id={MESSAGE_BOX_ID}
          className={styles.input}
          aria-label="Message"
          aria-describedby="composer-hint"
          placeholder={`Message ${spaceName}`}
          rows={1}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          aria-invalid={tooLong || undefined}
        />
        <button type="submit" className={`button button-primary ${styles.send}`} disabled={!canSend}>
          Send
        </button>
      </div>
      <p id="composer-hint" className={styles.hint}>
        {tooLong ? (
          <span className={styles.over}>{overLimit(draft.length - (maxLength ?? 0), maxLength ?? 0)}</span>
        ) : (
          <>
            <span className={styles.keyHint}>
              <kbd>Enter</kbd> to send · <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line ·{' '}
            </span>
            Markdown works
          </>
        )}
      </p>
    </form>
  );
}

/** A screen without a fine pointer (a phone): its Enter key is for new lines, Send is a button. */
function isTouchScreen(): boolean {
  return window.matchMedia('(pointer: coarse)').matches;
}

function overLimit(over: number, limit: number): string {
  return `${over.toLocaleString('en')} ${over === 1 ? 'character' : 'characters'} over the limit of ${limit.toLocaleString('en')}`;
}

/** Shown instead of the composer to visitors who are not signed in. */
export function ComposerSignedOut({ signInHref }: { signInHref: string }) {
  return (
    <div className={styles.signedOut}>
      <span>Sign in or continue as a guest to join the conversation.</span>
      <a className="button button-primary" href={signInHref}>
        Sign in
      </a>
    </div>
  );
}
