import { toDate } from '@/lib/format-time';
import type { IntentionItem } from './types';

const CONTINUE_WITHIN_MS = 5 * 60_000;

/** True when `current` directly follows a message by the same author, close enough to share its header. */
export function continuesPrevious(previous: IntentionItem | undefined, current: IntentionItem): boolean {
  if (!previous || previous.ownerId !== current.ownerId) return false;
  const gap = toDate(current.createdAt).getTime() - toDate(previous.createdAt).getTime();
  return gap >= 0 && gap < CONTINUE_WITHIN_MS;
}

/** A day label between messages that fall on different calendar days. */
export function dayBreak(previous: IntentionItem | undefined, current: IntentionItem): string | undefined {
  const day = toDate(current.createdAt);
  if (previous && toDate(previous.createdAt).toDateString() === day.toDateString()) return undefined;
  const today = new Date();
  if (day.toDateString() === today.toDateString()) return 'Today';
  const yesterday = new Date(today.getTime() - 86_400_000);
  if (day.toDateString() === yesterday.toDateString()) return 'Yesterday';
  return day.toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}
