import { Timer } from '@rhizom/retry';
import { ConnectionState, type Participant, type RemoteParticipant, type Room } from 'livekit-client';
import { Liveness, livenessTiming, PRESENCE_TOPIC } from './liveness.ts';

/** A heartbeat says nothing but "still here"; who sent it is what the SFU stamps on it. */
const HEARTBEAT = new Uint8Array(0);

/**
 * `Liveness` for one connected room: sends this connection's heartbeats while it may publish data, and
 * filters the room's participants down to those still heard, looking again exactly when that can change.
 */
export class RoomLiveness {
  private readonly liveness = new Liveness();
  private readonly beat = new Timer();
  private readonly check = new Timer();
  private sending = false;
  /** Identities `here` last returned, so a look that changes nothing tells nobody. */
  private shown = new Set<string>();

  constructor(
    private readonly room: Room,
    /** Someone came back or may have gone: recompute presence (`here`). */
    private readonly changed: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The room is connected: beat now, then every interval. Idempotent. */
  start(): void {
    if (!this.beat.pending) this.sendBeat();
  }

  /** A packet from a participant arrived, on any topic. */
  heard(participant: Participant): void {
    if (this.liveness.hear(participant.identity, this.now(), this.timing().boundMs)) this.changed();
  }

  left(identity: string): void {
    this.liveness.forget(identity);
  }

  /** We reconnected: we could hear nobody while away, so nobody is judged on that silence. */
  restart(): void {
    this.liveness.restart(this.now());
  }

  /**
   * The remote participants that count as here now. One who may not publish data cannot beat, so the
   * room's word stands for it (a client of an older version, a listener with another kind of token).
   */
  here(): RemoteParticipant[] {
    const now = this.now();
    const { boundMs } = this.timing();
    const here: RemoteParticipant[] = [];
    for (const participant of this.room.remoteParticipants.values()) {
      if (participant.permissions?.canPublishData) {
        this.liveness.see(participant.identity, now);
        if (!this.liveness.isHere(participant.identity, now, boundMs)) continue;
      }
      here.push(participant);
    }
    this.shown = new Set(here.map((participant) => participant.identity));
    this.scheduleCheck(now, boundMs);
    return here;
  }

  close(): void {
    this.beat.close();
    this.check.close();
  }

  /**
   * Look again when the first of those here may fall silent. Most looks find them heard meanwhile, so a
   * look recomputes presence only when someone is actually gone.
   */
  private scheduleCheck(now: number, boundMs: number): void {
    const next = this.liveness.nextChange(now, boundMs);
    this.check.cancel();
    if (next === null) return;
    this.check.start(next - now, () => {
      const at = this.now();
      const bound = this.timing().boundMs;
      for (const identity of this.shown) {
        if (!this.liveness.isHere(identity, at, bound)) {
          this.changed();
          return;
        }
      }
      this.scheduleCheck(at, bound);
    });
  }

  private timing() {
    return livenessTiming(this.room.remoteParticipants.size + 1);
  }

  private sendBeat(): void {
    const local = this.room.localParticipant;
    // While only the signal connection is being resumed, the data channel may well still carry beats.
    const up = this.room.state !== ConnectionState.Disconnected;
    if (up && local.permissions?.canPublishData && !this.sending) {
      this.sending = true;
      local
        .publishData(HEARTBEAT, { reliable: false, topic: PRESENCE_TOPIC })
        // Lossy by design: a beat that could not leave is one lost on the way; the next one follows.
        .catch(() => undefined)
        .finally(() => {
          this.sending = false;
        });
    }
    this.beat.start(this.timing().intervalMs, () => this.sendBeat());
  }
}
