/** Timestamps arrive as Date (superjson) or ISO strings (sync events); both render the same. */
export type Instant = Date | string;

/**
 * Formatters made once, on first use: `toLocale…String` with options builds a new one on every call,
 * which costs about a millisecond each (a space's log formats several times per message).
 */
function formatter(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let made: Intl.DateTimeFormat | undefined;
  return () => {
    made ??= new Intl.DateTimeFormat(undefined, options);
    return made;
  };
}
const weekday = formatter({ weekday: 'short' });
const dayMonth = formatter({ day: 'numeric', month: 'short' });
const clock = formatter({ hour: 'numeric', minute: '2-digit' });
const full = formatter({ dateStyle: 'full', timeStyle: 'short' });

export function toDate(value: Instant): Date {
  return value instanceof Date ? value : new Date(value);
}

/** "14:05" today, "Mon 14:05" this week, "3 Nov" otherwise: enough to place a message in a chat. */
export function shortTime(value: Instant, now: Date = new Date()): string {
  const date = toDate(value);
  const time = clockTime(date);
  const ageDays = (now.getTime() - date.getTime()) / 86_400_000;
  if (date.toDateString() === now.toDateString()) return time;
  if (ageDays < 6) return `${weekday().format(date)} ${time}`;
  return dayMonth().format(date);
}

/** "3:05 PM" or "15:05", as the reader's locale writes it. */
export function clockTime(value: Instant): string {
  return clock().format(toDate(value));
}

export function fullTime(value: Instant): string {
  return full().format(toDate(value));
}

/**
 * Makes the clock's formatters before a message needs them. The page's first `Intl.DateTimeFormat` loads
 * the locale's date data: 20–65 ms on a fast machine, 100–290 ms at 4× CPU throttling, which was spent
 * inside the first messages’ render and showed the log that much later.
 */
export function prepareTimeFormats(): void {
  const now = new Date();
  clockTime(now);
  weekday().format(now);
  dayMonth().format(now);
  fullTime(now);
}
