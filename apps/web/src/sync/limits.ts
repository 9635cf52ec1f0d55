/** Intentions a space snapshot carries; older ones are paged in with `intention.list`. */
export const SNAPSHOT_INTENTIONS = 200;

/** Whether a snapshot's window leaves older history to page in: its budget cut it, or it is full. */
export function snapshotHasEarlier(snapshot: { intentionsCut: boolean; intentions: readonly unknown[] }) {
  return snapshot.intentionsCut || snapshot.intentions.length >= SNAPSHOT_INTENTIONS;
}

/**
 * Members a space's snapshot and its members query list, first to join first. A crowded space's answer
 * stays bounded (1,000 ids are ~30 KB); the count beside them is exact.
 */
export const LISTED_MEMBERS = 1_000;
