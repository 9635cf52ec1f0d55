/** Timestamps arrive as Date (superjson) or ISO strings (sync events); both render the same. */
export type Instant = Date | string;

export function toDate(value: Instant): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "14:05" today, "Mon 14:05" this week, "3 Nov" otherwise: enough to place a message in a chat. */
export function shortTime(value: Instant, now: Date = new Date()): string {
  const date = toDate(value);
  const time = clockTime(date);
  const ageDays = (now.getTime() - date.getTime()) / 86_400_000;
  if (date.toDateString() === now.toDateString()) return time;
  if (ageDays < 6) return `${date.toLocaleDateString(undefined, { weekday: 'short' })} ${time}`;
  return date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

/** "3:05 PM" or "15:05", as the reader's locale writes it. */
export function clockTime(value: Instant): string {
  return toDate(value).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' });
}

export function fullTime(value: Instant): string {
  return toDate(value).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'short' });
}
