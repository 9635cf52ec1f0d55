import { toDate } from '@/lib/format-time';
import type { IntentionItem } from './types';

const CONTINUE_WITHIN_MS = 5 * 60_000;

const stamps = new WeakMap<IntentionItem, { ms: number; day: string }>();

/**
 * When a message was written, as a time and a local calendar day, worked out once per row object: the log
 * groups its whole window again at every render, each frame of a busy space.
 */
function stampOf(intention: IntentionItem): { ms: number; day: string } {
  let stamp = stamps.get(intention);
  if (!stamp) {
    const date = toDate(intention.createdAt);
    stamp = { ms: date.getTime(), day: date.toDateString() };
    stamps.set(intention, stamp);
  }
  return stamp;
}

/** True when `current` directly follows a message by the same author, close enough to share its header. */
export function continuesPrevious(previous: IntentionItem | undefined, current: IntentionItem): boolean {
  if (!previous || previous.ownerId !== current.ownerId) return false;
  const gap = stampOf(current).ms - stampOf(previous).ms;
  return gap >= 0 && gap < CONTINUE_WITHIN_MS;
}

/** A day label between messages that fall on different calendar days. */
export function dayBreak(previous: IntentionItem | undefined, current: IntentionItem): string | undefined {
  if (previous && stampOf(previous).day === stampOf(current).day) return undefined;
  const day = toDate(current.createdAt);
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
