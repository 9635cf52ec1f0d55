/** Where page lifecycle events come from: a browser window and document, or nothing (Node). */
export interface Page {
  window?: Window;
  document?: Document;
}

/** The browser's window and document when there are any; null elsewhere. */
export function browserPage(): Page | null {
  if (typeof window === 'undefined') return null;
  return { window, document: typeof document === 'undefined' ? undefined : document };
}

export interface PageLifecycleHandlers {
  /** The page came back (visible again, restored, or back online): a good moment to reconnect and catch up. */
  resume(why: string): void;
  /** The browser says it lost the network. */
  offline(): void;
}

/**
 * A page's visibility and connectivity, as the two signals a live connection acts on. A hidden tab's
 * timers are throttled and a laptop lid closes without a word, so resuming is when missed work is done.
 */
export class PageLifecycle {
  private readonly detach: (() => void)[] = [];

  constructor(
    private readonly page: Page | null,
    handlers: PageLifecycleHandlers,
  ) {
    const doc = page?.document;
    const win = page?.window;
    if (doc) {
      const onVisible = () => {
        if (doc.visibilityState === 'visible') handlers.resume('page visible');
      };
      doc.addEventListener('visibilitychange', onVisible);
      this.detach.push(() => doc.removeEventListener('visibilitychange', onVisible));
    }
    if (win) {
      const onOnline = () => handlers.resume('online');
      const onOffline = () => handlers.offline();
      // Back from the back/forward cache: the room was left when the page was hidden (pagehide).
      const onShow = (event: PageTransitionEvent) => {
        if (event.persisted) handlers.resume('page restored');
      };
      win.addEventListener('online', onOnline);
      win.addEventListener('offline', onOffline);
      win.addEventListener('pageshow', onShow);
      this.detach.push(() => {
        win.removeEventListener('online', onOnline);
        win.removeEventListener('offline', onOffline);
        win.removeEventListener('pageshow', onShow);
      });
    }
  }

  get offline(): boolean {
    return this.page?.window?.navigator?.onLine === false;
  }

  close(): void {
    for (const detach of this.detach.splice(0)) detach();
  }
}
