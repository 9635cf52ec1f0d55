'use client';

import { type ReactNode, useId, useLayoutEffect, useRef } from 'react';
import styles from './Dialog.module.css';

/**
 * A modal dialog on the native `<dialog>` element (focus stays inside, Escape closes it, the page behind is
 * inert). It is open while mounted: the caller renders it to open it and stops rendering it to close it,
 * so whatever it holds starts fresh each time.
 */
export function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  /** Called for the close button and Escape; the caller then stops rendering the dialog. */
  onClose: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  // Layout effect: closing before the element leaves the page lets the browser return focus to the opener.
  useLayoutEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // The browser focuses the first focusable element, the × button: people came to fill in the form.
      dialog.querySelector<HTMLElement>('input:not([type="hidden"]), textarea, select')?.focus();
    }
    return () => dialog?.close();
  }, []);

  return (
    <dialog
      ref={ref}
      className={styles.dialog}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let React unmount it rather than the browser closing it behind the caller's back.
        event.preventDefault();
        onClose();
      }}
    >
      <header className={styles.header}>
        <h2 id={titleId} className={styles.title}>
          {title}
        </h2>
        <button type="button" className={styles.close} onClick={onClose} aria-label="Close">
          ×
        </button>
      </header>
      <div className={styles.body}>{children}</div>
    </dialog>
  );
}
