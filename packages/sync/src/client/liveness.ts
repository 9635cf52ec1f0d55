/**
 * Who is still there, from what we hear. A lost network sends no leave and closes nothing, so the SFU
 * notices it only when its ping timeout (15 s by default, not ours to choose on LiveKit Cloud) runs out,
 * and then keeps the person for a resume. Instead every client that may publish data sends a tiny lossy
 * packet on `PRESENCE_TOPIC` every `intervalMs`, and the others count a participant who may publish as
 * here only while they heard from it within `boundMs`. Whoever is heard again is back at once, so a
 * network that blips and resumes (LiveKit's resume, same identity) needs no rejoin. Pure: no timers.
 */

/** Heartbeats' topic. The packet carries nothing; the sender is the identity the SFU stamps on it. */
export const PRESENCE_TOPIC = 'presence';

/** How long a participant that just appeared may stay silent: its publisher connection may be new. */
export const JOIN_GRACE_MS = 3_000;

const BASE_INTERVAL_MS = 500;
/**
 * Each client hears one heartbeat per interval from each of the n − 1 others, so the interval grows by
 * this much per person beyond the first 21: no client hears more than 40 heartbeats a second, and the
 * SFU forwards at most 40·n. The 2 s promise (bound ≤ 1.5 s) holds up to 41 people.
 */
const INTERVAL_PER_PERSON_MS = 25;
/** Chromium runs a hidden tab's timers at most once a second, on whole seconds. */
const HIDDEN_TIMER_MS = 1_000;
/** Beyond the slowest schedule: network jitter and a busy main thread on either side. */
const SLACK_MS = 500;

export interface LivenessTiming {
  intervalMs: number;
  boundMs: number;
}

/**
 * The schedule for a room of `people` (connections that are not hidden, ourselves included). The bound
 * covers a hidden sender's timer, which waits for the next whole second, plus slack; both sides compute it
 * from their own count, which differs by a join or two at most.
 */
export function livenessTiming(people: number): LivenessTiming {
  const intervalMs = Math.max(BASE_INTERVAL_MS, INTERVAL_PER_PERSON_MS * (people - 1));
  const boundMs = Math.ceil(intervalMs / HIDDEN_TIMER_MS) * HIDDEN_TIMER_MS + SLACK_MS;
  return { intervalMs, boundMs };
}

interface Heard {
  /** When we first saw the participant in the room, or last reconnected ourselves. */
  since: number;
  /** When a packet of theirs last arrived; null until one did since `since`. */
  last: number | null;
}

/** Last heard per participant identity, and who counts as here at a given time. */
export class Liveness {
  private readonly heard = new Map<string, Heard>();

  constructor(private readonly joinGraceMs = JOIN_GRACE_MS) {}

  /** The participant is in the room: the join grace starts now, unless it was already seen. */
  see(identity: string, now: number): void {
    if (!this.heard.has(identity)) this.heard.set(identity, { since: now, last: null });
  }

  /** A packet from the participant arrived (any topic). True when it was not here a moment ago. */
  hear(identity: string, now: number, boundMs: number): boolean {
    const wasHere = this.heard.has(identity) && this.isHere(identity, now, boundMs);
    const entry = this.heard.get(identity);
    if (entry) entry.last = now;
    else this.heard.set(identity, { since: now, last: now });
    return !wasHere;
  }

  forget(identity: string): void {
    this.heard.delete(identity);
  }

  /** We were away ourselves (a reconnection): nobody could be heard meanwhile, so all get the grace anew. */
  restart(now: number): void {
    for (const entry of this.heard.values()) {
      entry.since = now;
      entry.last = null;
    }
  }

  /** Unknown identities are here: they have not even had their join grace yet. */
  isHere(identity: string, now: number, boundMs: number): boolean {
    const entry = this.heard.get(identity);
    return !entry || now <= this.until(entry, boundMs);
  }

  /** The earliest time after `now` at which someone here stops being here; null if nobody will. */
  nextChange(now: number, boundMs: number): number | null {
    let next: number | null = null;
    for (const entry of this.heard.values()) {
      const until = this.until(entry, boundMs);
      if (until >= now && (next === null || until + 1 < next)) next = until + 1;
    }
    return next;
  }

  private until(entry: Heard, boundMs: number): number {
    return entry.last === null ? entry.since + Math.max(this.joinGraceMs, boundMs) : entry.last + boundMs;
  }
}
