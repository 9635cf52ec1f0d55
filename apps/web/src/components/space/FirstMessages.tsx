'use client';

import { compareCodeUnits } from '@rhizom/sync/names';
import { use, useMemo } from 'react';
import { SNAPSHOT_INTENTIONS } from '@/sync/limits';
import type { PageSnapshot } from '@/sync/sync-client';
import { MessageLog, type MessageLogProps } from './MessageLog';
import type { BeingItem, IntentionItem } from './types';

/**
 * The log, showing the messages the page was rendered with until live sync has loaded its own: a space
 * opens with its conversation in the server's HTML, not after its scripts, a snapshot request and a
 * render (seconds on a slow phone in a busy space). Suspends only while that snapshot is on its way (the
 * shell around the log is on screen meanwhile). The live state then takes over with the same rows, since
 * the connection loads this very snapshot first (`askEarlySnapshot`).
 */
export function FirstMessages({
  first,
  ...props
}: MessageLogProps & { first?: Promise<PageSnapshot | null> }) {
  const page = first && props.status === 'loading' ? use(first) : null;
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
  const intentions: IntentionItem[] = [...page.intentions].sort(
    (a, b) => compareCodeUnits(a.createdAt, b.createdAt) || compareCodeUnits(a.id, b.id),
  );
  return {
    authors,
    intentions,
    hasEarlier: (page.intentionsCut ?? false) || page.intentions.length >= SNAPSHOT_INTENTIONS,
  };
}
