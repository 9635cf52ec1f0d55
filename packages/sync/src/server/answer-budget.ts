import { withContentRef } from '../content-ref.ts';
import type { BeingView, IntentionView } from '../entities.ts';

/**
 * Bytes one `sync.snapshot` or `sync.since` answer may carry (its entities or events as JSON): a visitor
 * never downloads megabytes it did not ask for. Catch-up beyond it is paged (`CatchUp.untilSeq`).
 */
export const DEFAULT_ANSWER_MAX_BYTES = 1_000_000;

/** Room an answer keeps for what surrounds its entities or events: the keys, positions and field names. */
export const ANSWER_OVERHEAD_BYTES = 4_096;

/** What an answer's entities or events may take of its budget. */
export function entityBudget(maxBytes: number): number {
  return Math.max(0, maxBytes - ANSWER_OVERHEAD_BYTES);
}

export interface SpaceParts {
  beings: BeingView[];
  intentions: IntentionView[];
  intentionsCut?: boolean;
}

/** Bytes of a value as the answer's JSON carries it (an estimate that never undercounts ASCII). */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/**
 * A space's beings and intentions cut to `maxBytes`: large contents become refs (`withContentRef`); if
 * that is not enough, every being's content becomes a ref, largest first; then the oldest intentions are
 * left out (`intentionsCut`, the client pages them in on demand). Beings themselves are never left out,
 * since a client cannot tell a missing one from a removed one; each is bounded by the domain's limits.
 * `intentions` are oldest first.
 */
export function fitToBudget(parts: SpaceParts, maxBytes: number): SpaceParts {
  const beings = parts.beings.map((being) => withContentRef(being));
  const beingSizes = beings.map(jsonBytes);
  const intentionSizes = parts.intentions.map(jsonBytes);
  let total = sum(beingSizes) + sum(intentionSizes);
  const byContent = beings
    .map((being, index) => ({ index, length: being.content.length }))
    .filter((entry) => entry.length > 0)
    .sort((a, b) => b.length - a.length);
  for (const { index } of byContent) {
    if (total <= maxBytes) break;
    const being = beings[index] as BeingView;
    const slim = withContentRef(being, 0);
    const size = jsonBytes(slim);
    total += size - (beingSizes[index] as number);
    beings[index] = slim;
  }
  let first = 0;
  while (total > maxBytes && first < intentionSizes.length) total -= intentionSizes[first++] as number;
  return {
    beings,
    intentions: first === 0 ? parts.intentions : parts.intentions.slice(first),
    ...(first > 0 || parts.intentionsCut ? { intentionsCut: true } : {}),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
