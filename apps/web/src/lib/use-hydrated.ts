'use client';

import { useSyncExternalStore } from 'react';

const unchanging = () => () => {};

/**
 * False in the server's HTML and while the browser hydrates it, true from then on (and at once in a part
 * rendered in the browser only). Two uses:
 * - Forms stay disabled until then: text typed into a controlled field before hydration stays in the DOM
 *   but never reaches React state (so a submit button keyed to it stays disabled and Enter has no handler),
 *   and a native submit would be a GET.
 * - Text that depends on the reader's clock, time zone or locale, which the server does not know: rendered
 *   there, it would differ from the browser's, and the server's wrong time would stay on screen.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    unchanging,
    () => true,
    () => false,
  );
}
