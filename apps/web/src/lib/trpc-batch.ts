/**
 * Most calls in one tRPC batch request. The server refuses larger batches (400) and the browser client
 * never sends one, so a single request cannot carry an unbounded amount of work.
 */
export const maxBatchSize = 20;
