'use client';

import { compareCreation } from '@rhizom/sync/names';
import { use, useMemo } from 'react';
import { useHydrated } from '@/lib/use-hydrated';
import { snapshotHasEarlier } from '@/sync/limits';
import type { PageSnapshot } from '@/sync/sync-client';
import { MessageLog, type MessageLogProps } from './MessageLog';
import type { BeingItem, IntentionItem } from './types';

/**
 * The log, showing the messages the page was rendered with until live sync has loaded its own: a space
 * opens with its conversation in the server's HTML, not after its scripts, a snapshot request and a
 * render (seconds on a slow phone in a busy space). Suspends only on the server and while hydrating, while
 * that snapshot is on its way (the shell around the log is on screen meanwhile). The live state then takes
 * over with the same rows, since the connection loads this very snapshot first (`askEarlySnapshot`), or a
 * whole one when that failed.
 */
export function FirstMessages({
  first,
  ...props
}: MessageLogProps & { first?: Promise<PageSnapshot | null> }) {
  // On the server and while hydrating, wait for the snapshot (it streams in after the shell). After that,
  // never suspend again: a boundary that suspends (a new page promise, a client render after an update that
  // came before hydration ended) swaps this log for its fallback, a fresh log that loses the reader's place
  // (a message link's scroll). React's own `status` on a streamed promise says whether it can be read now.
  const hydrated = useHydrated();
  const settled = (first as { status?: string } | undefined)?.status === 'fulfilled';
  // A first load that failed is retried by the connection (in a fraction of a second): the page's rows stay
  // meanwhile, not an error in their place, which also dropped the reader's place in them.
  const page = first && props.status !== 'ready' && (!hydrated || settled) ? use(first) : null;
  const shown = useMemo(() => (page ? pageRows(page, props.authors) : null), [page, props.authors]);
  if (!shown) return <MessageLog {...props} />;
  return (
    <MessageLog
      {...props}
      status="ready"
      error={undefined}
      intentions={shown.intentions}
      authors={shown.authors}
      hasEarlier={shown.hasEarlier}
    />
  );
}

/** The snapshot's rows in the live store's order (`SpaceStore.getView`), and its beings as authors. */
function pageRows(page: PageSnapshot, known: ReadonlyMap<string, BeingItem>) {
  const authors = new Map(known);
  for (const being of page.beings) authors.set(being.id, being);
  const intentions: IntentionItem[] = [...page.intentions].sort(compareCreation);
  return {
    authors,
    intentions,
    hasEarlier: snapshotHasEarlier({ ...page, intentionsCut: page.intentionsCut ?? false }),
  };
}
