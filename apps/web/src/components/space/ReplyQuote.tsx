import styles from './ReplyQuote.module.css';

/**
 * The message a reply answers, quoted above it: its author and its text as this page holds it now (or the
 * excerpt the reply stored, when the original is not loaded). Clicking it scrolls to the original.
 */
export function ReplyQuote({
  authorName,
  text,
  targetId,
}: {
  authorName: string;
  text: string | undefined;
  targetId: string;
}) {
  const jump = () => {
    const target = document.querySelector(`[data-intention-id="${CSS.escape(targetId)}"]`);
    target?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  };
  return (
    <button type="button" className={styles.quote} onClick={jump} aria-label={`Reply to ${authorName}`}>
      <span className={styles.author}>{authorName}</span>
      <span className={styles.text}>{text ?? 'A message that was deleted'}</span>
    </button>
  );
}
