'use client';

import { startTransition, useEffect, useState } from 'react';
import { prepareTimeFormats } from './format-time';
import { useHydrated } from './use-hydrated';

/** Whether the clock's formatters exist: parts that mount after that show their times at once. */
let made = false;
let making: Promise<void> | undefined;

function makeFormats(): Promise<void> {
  making ??= new Promise((resolve) =>
    setTimeout(() => {
      prepareTimeFormats();
      made = true;
      resolve();
    }),
  );
  return making;
}

/**
 * Whether to show text from the reader's clock, zone and locale: not in the server's HTML nor while
 * hydrating it (as `useHydrated`), and not before the clock's formatters exist. Making them loads the
 * locale's date data (about 55 ms at 4× CPU throttling), so it runs in a task of its own once the page has
 * hydrated, and the messages then show their times in a transition React can split between frames. With
 * `useHydrated` alone, every message rendered its times in the task that finished hydrating the log, and
 * that task made the formatters too (155 ms in a traced bench:web).
 */
export function useClockReady(): boolean {
  const hydrated = useHydrated();
  const [ready, setReady] = useState(made);
  useEffect(() => {
    if (ready) return;
    let mounted = true;
    void makeFormats().then(() => {
      if (mounted) startTransition(() => setReady(true));
    });
    return () => {
      mounted = false;
    };
  }, [ready]);
  return hydrated && ready;
}
