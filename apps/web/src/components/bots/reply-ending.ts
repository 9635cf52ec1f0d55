/**
 * The line under a reply that did not complete: "Reply failed: <why>", "Reply stopped: <why>" — unless the
 * reason already says it was stopped ("Stopped by Ada."), which is not said twice.
 */
export function replyEnding(state: 'failed' | 'cancelled', error: string | undefined): string {
  const what = state === 'failed' ? 'Reply failed' : 'Reply stopped';
  if (!error) return `${what}.`;
  if (state === 'cancelled' && /^stopped\b/i.test(error)) return error;
  return `${what}: ${error}`;
}
