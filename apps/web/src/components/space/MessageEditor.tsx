'use client';

import { type KeyboardEvent, useState } from 'react';
import { LIMITS } from '@/domain/limits';
import { errorMessage } from '@/lib/error-message';
import styles from './MessageEditor.module.css';

/** Edits a message in place: Enter saves, Shift+Enter makes a new line, Escape cancels. */
export function MessageEditor({
  initial,
  onSave,
  onDone,
}: {
  initial: string;
  onSave: (content: string) => Promise<void>;
  onDone: () => void;
}) {
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const valid = text.trim().length > 0 && text.length <= LIMITS.utteranceMax;

  const save = async () => {
    if (!valid || saving) return;
    if (text.trim() === initial.trim()) return onDone();
    setSaving(true);
    setError(undefined);
    try {
      await onSave(text.trim());
      onDone();
    } catch (e) {
      setError(errorMessage(e, 'Your edit could not be saved. Try again.'));
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Escape') onDone();
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <div className={styles.editor}>
      <textarea
        className={styles.input}
        aria-label="Edit message"
        value={text}
        rows={Math.min(8, text.split('\n').length)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        // biome-ignore lint/a11y/noAutofocus: the person just asked to edit this message
        autoFocus
      />
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className={styles.buttons}>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!valid || saving}
          onClick={() => void save()}
        >
          Save
        </button>
      </div>
    </div>
  );
}
