import type { BeingView, IntentionView, SpaceActivity } from './entities.ts';
import type { SyncKeys } from './seal/keys.ts';

/**
 * The state of one space at one stream position: every being in it and its recent intentions, exactly as
 * of `seq` in `epoch`. A client loads it, then applies events with seq > `seq`.
 */
export interface SpaceSnapshot {
  space: string;
  epoch: string;
  seq: number;
  beings: BeingView[];
  intentions: IntentionView[];
  /** Read positions, in a being's personal stream only. */
  activity?: SpaceActivity[];
  /**
   * Ids of the space's members, in a space's own stream only (`member.add` / `member.remove` follow): the
   * first ones to join, at most `MAX_SNAPSHOT_MEMBERS`, so a crowded space's answer stays within its budget.
   */
  members?: string[];
  /** How many members the space has, beside `members` (more than its length when the list is cut). */
  memberCount?: number;
  /** True when the answer's byte budget left out older intentions of the window (page them in). */
  intentionsCut?: boolean;
}

/**
 * Answer to `sync.since`: the events after the client's position, in order and without a hole, or a
 * snapshot marked `reset` when the gap is no longer kept, too long, or the epoch changed. An answer that
 * would pass its byte budget stops early and says `untilSeq` (the stream's end): the client applies it
 * and asks again from its new position until it holds `untilSeq`. The server types its events; a client
 * validates them itself (`unknown`), since a newer server may send newer types.
 */
export type CatchUp<Event = unknown> =
  | { kind: 'events'; space: string; epoch: string; afterSeq: number; events: Event[]; untilSeq?: number }
  | { kind: 'reset'; snapshot: SpaceSnapshot };

/**
 * An API answer with the keys that open the space's packets as of that answer (`sync.snapshot`,
 * `sync.since`): the space's current sealing key and the published signing keys.
 */
export type Keyed<T> = T & { keys: SyncKeys };

/** A snapshot as a catch-up answer that resets the client, keys kept beside it. */
export function keyedReset<Event>({ keys, ...snapshot }: Keyed<SpaceSnapshot>): Keyed<CatchUp<Event>> {
  return { kind: 'reset', snapshot, keys };
}
