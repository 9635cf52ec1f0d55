import type { BeingView, IntentionView, SpaceActivity } from '../entities.ts';
import { isSkipped, parseEvent, type ReceivedEvent } from '../packet.ts';
import type { CatchUp, SpaceSnapshot } from '../snapshot.ts';
import { compareCodeUnits, compareCreation } from './compare-names.ts';

/** What hooks render: immutable, replaced on every change so a hook sees a new object (React compares by identity). */
export interface SpaceView {
  space: string;
  /** null until the first snapshot is loaded. */
  epoch: string | null;
  seq: number;
  loaded: boolean;
  beings: readonly BeingView[];
  /** Oldest first; includes this client's optimistic posts until their event arrives. */
  intentions: readonly IntentionView[];
  /** Ids in `intentions` that are optimistic (the server has not answered the write yet). */
  optimisticIds: ReadonlySet<string>;
  /** Read positions by space id (a being's personal stream only; empty elsewhere). */
  activity: ReadonlyMap<string, SpaceActivity>;
  /** Ids of the space's members (a space's own stream only; empty elsewhere); only the first ones when cut. */
  memberIds: ReadonlySet<string>;
  /** How many members the space has, live, including those `memberIds` leaves out. */
  memberCount: number;
  /** The snapshot's byte budget left out older intentions of its window: there is history to page in. */
  intentionsCut: boolean;
  /**
   * Intentions removed by events this store applied, whether it held them or not: rows a client keeps beside
   * the store (older history paged in) are gone too. Kept across loads (a snapshot does not list what it
   * lacks); the same object until the next removal.
   */
  removedIds: ReadonlySet<string>;
}

export interface ReceiveResult {
  applied: number;
  duplicates: number;
  /** True when the store cannot move forward on its own: held events after a hole, refs, a new epoch. */
  needsCatchUp: boolean;
}

/** Held out-of-order events beyond this are dropped and the store asks for a catch-up instead. */
const MAX_PENDING = 2_000;

/**
 * The normalized state of one space on a client. Events are applied strictly in seq order: a duplicate
 * (seq ≤ position) is ignored, an event after a hole is held until the hole is filled by a later packet
 * or by catch-up. So nothing is applied twice and nothing is skipped. Pure: no I/O, no timers.
 */
export class SpaceStore {
  readonly space: string;
  private epoch: string | null = null;
  private seq = 0;
  private readonly beings = new Map<string, BeingView>();
  private readonly intentions = new Map<string, IntentionView>();
  private readonly activity = new Map<string, SpaceActivity>();
  private readonly members = new Set<string>();
  private memberCount = 0;
  /** The snapshot listed only the first members: a removal of someone unlisted still counts. */
  private membersCut = false;
  private readonly pending = new Map<number, ReceivedEvent>();
  /** Events that arrived before the first snapshot: replayed through `receive` after `load`. */
  private early: { epoch: string; events: ReceivedEvent[] }[] = [];
  /** Highest seq announced as a ref (too big to carry): catch-up needed until we are past it. */
  private wantedUpTo = 0;
  /** A packet of another epoch arrived: our positions mean nothing until a reset. */
  private staleEpoch = false;
  /** An event did not fit our copy (an append at another offset): only a fresh snapshot helps. */
  private diverged = false;
  private intentionsCut = false;
  private removedIds: ReadonlySet<string> = new Set();
  /** This client's posts not yet confirmed, and confirmed ones whose event has not arrived yet. */
  private readonly optimistic = new Map<string, IntentionView>();
  private readonly confirmed = new Map<string, IntentionView>();
  private readonly listeners = new Set<() => void>();
  private cached: SpaceView | null = null;

  constructor(space: string) {
    this.space = space;
  }

  get position(): { epoch: string | null; seq: number } {
    return { epoch: this.epoch, seq: this.seq };
  }

  get loaded(): boolean {
    return this.epoch !== null;
  }

  needsCatchUp(): boolean {
    return this.diverged || this.staleEpoch || this.pending.size > 0 || this.wantedUpTo > this.seq;
  }

  /** True when catch-up must fetch a snapshot rather than events (see `IntentionAppend`). */
  get needsReload(): boolean {
    return this.diverged;
  }

  /** Replace the whole state with a snapshot, unless we already hold a newer position in the same epoch. */
  load(snapshot: SpaceSnapshot): void {
    if (snapshot.space !== this.space)
      throw new Error(`snapshot of ${snapshot.space} loaded into ${this.space}`);
    const sameEpoch = snapshot.epoch === this.epoch;
    if (sameEpoch && snapshot.seq < this.seq && !this.staleEpoch && !this.diverged) {
      // Our contiguous state is newer than this snapshot; loading it would move us backwards.
      return;
    }
    const held = sameEpoch ? [...this.pending.values()] : [];
    this.epoch = snapshot.epoch;
    this.seq = snapshot.seq;
    this.staleEpoch = false;
    this.diverged = false;
    this.wantedUpTo = 0;
    this.intentionsCut = snapshot.intentionsCut ?? false;
    this.pending.clear();
    this.beings.clear();
    this.intentions.clear();
    this.activity.clear();
    this.members.clear();
    for (const being of snapshot.beings) this.beings.set(being.id, being);
    for (const id of snapshot.members ?? []) this.members.add(id);
    this.memberCount = Math.max(snapshot.memberCount ?? 0, this.members.size);
    this.membersCut = this.memberCount > this.members.size;
    for (const entry of snapshot.activity ?? []) this.activity.set(entry.id, entry);
    for (const intention of snapshot.intentions) {
      this.intentions.set(intention.id, intention);
      this.confirmed.delete(intention.id);
      this.optimistic.delete(intention.id);
    }
    const early = this.early;
    this.early = [];
    this.applyBatch(snapshot.epoch, held);
    for (const batch of early) {
      if (batch.epoch === snapshot.epoch) this.applyBatch(batch.epoch, batch.events);
      else this.staleEpoch = true;
    }
    this.changed();
  }

  /**
   * Apply the answer to `sync.since`. Events go through the same ordered path as packets (so events that
   * arrived meanwhile are not applied twice); a reset loads its snapshot; a page (`untilSeq`) leaves the
   * store wanting the rest (`needsCatchUp`). Throws on a malformed answer.
   */
  applyCatchUp(answer: CatchUp): ReceiveResult {
    if (answer.kind === 'reset') {
      const before = this.seq;
      this.load(answer.snapshot);
      return { applied: Math.max(0, this.seq - before), duplicates: 0, needsCatchUp: this.needsCatchUp() };
    }
    const events: ReceivedEvent[] = [];
    for (const raw of answer.events) {
      const parsed = parseEvent(raw);
      if (!parsed.ok) throw new Error(`catch-up for ${this.space} returned ${parsed.error}`);
      events.push(parsed.event);
    }
    if (this.epoch !== null && answer.epoch === this.epoch) this.staleEpoch = false;
    // A page of a longer gap: the rest is wanted like a ref's, so catch-up continues from our new position.
    const rest = answer.untilSeq === undefined ? [] : [{ seq: answer.untilSeq }];
    return this.receive(answer.epoch, events, rest);
  }

  /** Feed events from a packet or a catch-up answer (any order, duplicates allowed). */
  receive(
    epoch: string,
    events: readonly ReceivedEvent[],
    refs: readonly { seq: number }[] = [],
  ): ReceiveResult {
    if (this.epoch === null) {
      this.early.push({ epoch, events: [...events] });
      return { applied: 0, duplicates: 0, needsCatchUp: false };
    }
    if (epoch !== this.epoch) {
      this.staleEpoch = true;
      return { applied: 0, duplicates: 0, needsCatchUp: true };
    }
    for (const ref of refs) if (ref.seq > this.wantedUpTo) this.wantedUpTo = ref.seq;
    const result = this.applyBatch(epoch, events);
    if (result.applied > 0) this.changed();
    return { ...result, needsCatchUp: this.needsCatchUp() };
  }

  /**
   * Show this client's post at once. Give it the id the write will use (the app lets clients choose
   * an intention's id), so its event replaces it exactly.
   */
  addOptimistic(intention: IntentionView): void {
    if (this.intentions.has(intention.id)) return;
    this.optimistic.set(intention.id, intention);
    this.changed();
  }

  /** The write answered: keep its row visible until the event lands (or drop it if the write failed). */
  settleOptimistic(id: string, saved: IntentionView | null): void {
    this.optimistic.delete(id);
    // Its event came first, or its removal did (the answer can come last under load): nothing to keep.
    if (saved && !this.intentions.has(saved.id) && !this.removedIds.has(saved.id))
      this.confirmed.set(saved.id, saved);
    this.changed();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): SpaceView => {
    if (this.cached) return this.cached;
    const intentions = new Map(this.intentions);
    for (const [id, row] of this.confirmed) if (!intentions.has(id)) intentions.set(id, row);
    for (const [id, row] of this.optimistic) intentions.set(id, row);
    this.cached = {
      space: this.space,
      epoch: this.epoch,
      seq: this.seq,
      loaded: this.epoch !== null,
      beings: [...this.beings.values()].sort(
        (a, b) => compareCodeUnits(a.name, b.name) || compareCodeUnits(a.id, b.id),
      ),
      intentions: [...intentions.values()].sort(compareCreation),
      optimisticIds: new Set(this.optimistic.keys()),
      activity: new Map(this.activity),
      memberIds: new Set(this.members),
      memberCount: this.memberCount,
      intentionsCut: this.intentionsCut,
      removedIds: this.removedIds,
    };
    return this.cached;
  };

  /** Plain state without optimistic rows, for tests and debugging. */
  state(): { epoch: string | null; seq: number; beings: BeingView[]; intentions: IntentionView[] } {
    const byId = <T extends { id: string }>(a: T, b: T) => compareCodeUnits(a.id, b.id);
    return {
      epoch: this.epoch,
      seq: this.seq,
      beings: [...this.beings.values()].sort(byId),
      intentions: [...this.intentions.values()].sort(byId),
    };
  }

  private applyBatch(
    epoch: string,
    events: readonly ReceivedEvent[],
  ): { applied: number; duplicates: number } {
    let applied = 0;
    let duplicates = 0;
    for (const event of events) {
      if (event.epoch !== epoch || event.space !== this.space) continue;
      if (event.seq <= this.seq || this.pending.has(event.seq)) {
        duplicates++;
        continue;
      }
      this.pending.set(event.seq, event);
    }
    for (
      let next = this.pending.get(this.seq + 1);
      next && !this.diverged;
      next = this.pending.get(this.seq + 1)
    ) {
      if (!this.apply(next)) {
        // Stay before this event; everything after it waits for the snapshot.
        this.diverged = true;
        break;
      }
      this.pending.delete(next.seq);
      this.seq = next.seq;
      applied++;
    }
    if (this.pending.size > MAX_PENDING) {
      this.wantedUpTo = Math.max(this.wantedUpTo, ...this.pending.keys());
      this.pending.clear();
    }
    return { applied, duplicates };
  }

  /** Applies one event; false if it does not fit this copy of the space. */
  private apply(event: ReceivedEvent): boolean {
    if (isSkipped(event)) return true;
    switch (event.type) {
      case 'being.upsert':
        this.beings.set(event.entity.id, event.entity);
        return true;
      case 'being.remove':
        this.beings.delete(event.entity.id);
        return true;
      case 'intention.upsert':
        this.intentions.set(event.entity.id, event.entity);
        this.confirmed.delete(event.entity.id);
        this.optimistic.delete(event.entity.id);
        return true;
      case 'intention.remove':
        this.intentions.delete(event.entity.id);
        this.confirmed.delete(event.entity.id);
        this.removedIds = new Set(this.removedIds).add(event.entity.id);
        return true;
      case 'intention.append': {
        const { id, offset, text, state, modifiedAt } = event.entity;
        const row = this.intentions.get(id);
        // Not in this copy (older than the snapshot's window): nothing shown, nothing to extend.
        if (!row) return true;
        if (row.content.length !== offset) return false;
        this.intentions.set(id, { ...row, content: row.content + text, state, modifiedAt });
        return true;
      }
      case 'activity.upsert':
        this.activity.set(event.entity.id, event.entity);
        return true;
      case 'member.add':
        if (!this.members.has(event.entity.id)) this.memberCount++;
        this.members.add(event.entity.id);
        return true;
      case 'member.remove':
        if (this.members.delete(event.entity.id) || this.membersCut) this.memberCount--;
        return true;
    }
  }

  private changed(): void {
    this.cached = null;
    for (const listener of this.listeners) listener();
  }
}
