/** Intentions a space snapshot carries; older ones are paged in with `intention.list`. */
export const SNAPSHOT_INTENTIONS = 200;

/**
 * Messages the log keeps in the page while the reader follows the newest (a few screens): a busy space does
 * not grow the DOM forever, and each new message lays out a short list.
 */
export const LOG_WINDOW = 60;

/**
 * What a page's snapshot reads: one intention more than it keeps, which says whether `forPage` left any out.
 * The rest are never read: on PGlite, a 300-message space's page snapshot took 9.7–9.9 ms of CPU so, and
 * 12.3–14.6 ms read whole (sync's 200) and then cut.
 */
export const PAGE_SCOPE = { intentions: LOG_WINDOW + 1 };

/**
 * A space's snapshot as its page is rendered with it: only the newest LOG_WINDOW intentions, the rest left
 * out as an answer's budget leaves them out (`intentionsCut`; the log pages them in when scrolled up). The
 * page's HTML carries the snapshot whole (the RSC payload the log hydrates from): with sync's 200 that was
 * most of a busy space's 98 KB of HTML, to download, parse and hydrate, for a log that shows 60 at most.
 * `intentions` are oldest first, as every snapshot's are.
 */
export function forPage<S extends { intentions: readonly unknown[]; intentionsCut?: boolean }>(
  snapshot: S,
): S {
  if (snapshot.intentions.length <= LOG_WINDOW) return snapshot;
  return { ...snapshot, intentions: snapshot.intentions.slice(-LOG_WINDOW), intentionsCut: true };
}

/** Whether a snapshot's window leaves older history to page in: its budget cut it, or it is full. */
export function snapshotHasEarlier(snapshot: { intentionsCut: boolean; intentions: readonly unknown[] }) {
  return snapshot.intentionsCut || snapshot.intentions.length >= SNAPSHOT_INTENTIONS;
}

/**
 * Members a space's snapshot and its members query list, first to join first. A crowded space's answer
 * stays bounded (1,000 ids are ~30 KB); the count beside them is exact.
 */
export const LISTED_MEMBERS = 1_000;
