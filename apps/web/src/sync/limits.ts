/** Intentions a space snapshot carries; older ones are paged in with `intention.list`. */
export const SNAPSHOT_INTENTIONS = 200;
