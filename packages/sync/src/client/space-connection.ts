import { ConnectionState, DisconnectReason, Room, RoomEvent } from 'livekit-client';
import { backoffDelay } from '../backoff.ts';
import type { IntentionView } from '../entities.ts';
import { decodePacket, SYNC_TOPIC } from '../packet.ts';
import { type OpenResult, PacketOpener } from '../seal/packet-opener.ts';
import { type CatchUp, type Keyed, keyedReset } from '../snapshot.ts';
import { presenceOf } from './presence.ts';
import { SpaceStore } from './store.ts';
import {
  consoleLogger,
  type PresenceEntry,
  type SpaceSyncState,
  type SyncApi,
  type SyncLogger,
  type SyncStatus,
} from './types.ts';

export interface SpaceConnectionOptions {
  space: string;
  api: SyncApi;
  logger?: SyncLogger;
  /** How long an out-of-order packet waits for the missing one before asking the server (default 150 ms). */
  holdMs?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /**
   * Least time between two key fetches a packet with an unknown key id may trigger (default 5 s): a
   * forger can name any key id, so this bounds what it costs the server to one call per interval.
   */
  keyRefetchMs?: number;
  /** Where page lifecycle events come from; defaults to the browser's window/document when present. */
  page?: { window?: Window; document?: Document } | null;
  createRoom?: () => Room;
}

export interface ConnectionStats {
  packets: number;
  ignoredPackets: number;
  /** Packets that failed verification or decryption (also counted in `ignoredPackets`). */
  rejectedPackets: number;
  keyFetches: number;
  catchUps: number;
  resets: number;
  connects: number;
}

/**
 * Live state of one space: a LiveKit room (receive-only) feeding a `SpaceStore`, with the catch-up and
 * reconnection rules of the sync protocol. Catch-up runs after the first load and every (re)connection,
 * when a page comes back (visible / online), when a hole in the sequence outlives `holdMs`, and when a
 * packet announces an event too big to carry. Nothing is applied twice: the store orders by seq.
 */
export class SpaceConnection {
  readonly space: string;
  readonly store: SpaceStore;
  readonly stats: ConnectionStats = {
    packets: 0,
    ignoredPackets: 0,
    rejectedPackets: 0,
    keyFetches: 0,
    catchUps: 0,
    resets: 0,
    connects: 0,
  };
  private readonly api: SyncApi;
  private readonly log: SyncLogger;
  private readonly holdMs: number;
  private readonly retryInitialMs: number;
  private readonly retryMaxMs: number;
  private readonly keyRefetchMs: number;
  private readonly createRoom: () => Room;
  private readonly page: { window?: Window; document?: Document } | null;

  private room: Room | null = null;
  private started = false;
  private closed = false;
  /** The server refused this person the space: nothing is retried any more. */
  private denied = false;
  private status: SyncStatus = 'connecting';
  private error: string | null = null;
  private presence: readonly PresenceEntry[] = [];
  private connectAttempt = 0;
  private connecting = false;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private loadAttempt = 0;
  private loadTimer: ReturnType<typeof setTimeout> | null = null;
  private holdTimer: ReturnType<typeof setTimeout> | null = null;
  private catchUpRun: Promise<void> | null = null;
  private catchUpAgain = false;
  private catchUpAttempt = 0;
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();
  private cached: SpaceSyncState | null = null;
  private readonly detachPage: (() => void)[] = [];
  private readonly opener: PacketOpener;
  /** Packets are opened one after another, so they reach the store in the order they arrived. */
  private inbox: Promise<void> = Promise.resolve();
  /** Packets that arrived before the first keys (the snapshot brings them); opened after it. */
  private unopened: Uint8Array[] = [];
  private keyFetch: Promise<void> | null = null;
  private keyFetchTimer: ReturnType<typeof setTimeout> | null = null;
  private lastKeyFetch = Number.NEGATIVE_INFINITY;

  constructor(options: SpaceConnectionOptions) {
    this.space = options.space;
    this.api = options.api;
    this.log = options.logger ?? consoleLogger;
    this.holdMs = options.holdMs ?? 150;
    this.retryInitialMs = options.retryInitialMs ?? 500;
    this.retryMaxMs = options.retryMaxMs ?? 15_000;
    this.keyRefetchMs = options.keyRefetchMs ?? 5_000;
    this.createRoom = options.createRoom ?? (() => new Room({ adaptiveStream: false, dynacast: false }));
    this.page =
      options.page !== undefined
        ? options.page
        : typeof window === 'undefined'
          ? null
          : { window, document: typeof document === 'undefined' ? undefined : document };
    this.store = new SpaceStore(this.space);
    this.opener = new PacketOpener(this.space);
    this.store.subscribe(() => this.changed());
  }

  /** Idempotent. Loads the snapshot and connects the room in parallel. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.watchPage();
    void this.load();
    void this.connect();
  }

  /** Leave the room and stop every timer; safe while a token request or connect is still pending. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const room = this.release();
    for (const detach of this.detachPage.splice(0)) detach();
    if (room) await room.disconnect();
    this.listeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The room, for tests and diagnostics (e.g. `simulateScenario`). */
  get currentRoom(): Room | null {
    return this.room;
  }

  addOptimistic(intention: IntentionView): void {
    this.store.addOptimistic(intention);
  }

  settleOptimistic(id: string, saved: IntentionView | null): void {
    this.store.settleOptimistic(id, saved);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): SpaceSyncState => {
    if (!this.cached) {
      this.cached = {
        ...this.store.getView(),
        presence: this.presence,
        status: this.status,
        error: this.error,
      };
    }
    return this.cached;
  };

  /** Ask the server for everything after our position; single-flight, retried with backoff on failure. */
  catchUp(reason: string): Promise<void> {
    if (this.closed || this.denied || !this.store.loaded) return Promise.resolve();
    if (this.catchUpRun) {
      this.catchUpAgain = true;
      return this.catchUpRun;
    }
    const run = (async () => {
      try {
        // Rounds that move nothing forward; pages of a long gap each move, so they are not counted.
        let stalled = 0;
        do {
          this.catchUpAgain = false;
          const { epoch, seq } = this.store.position;
          if (epoch === null) return;
          const answer: Keyed<CatchUp> = this.store.needsReload
            ? keyedReset(await this.api.snapshot(this.space))
            : await this.api.since({ space: this.space, epoch, afterSeq: seq });
          if (this.closed) return;
          await this.opener.setKeys(answer.keys);
          this.stats.catchUps++;
          if (answer.kind === 'reset') this.stats.resets++;
          const result = this.store.applyCatchUp(answer);
          this.log.debug(
            {
              space: this.space,
              reason,
              kind: answer.kind,
              applied: result.applied,
              seq: this.store.position.seq,
            },
            'caught up',
          );
          stalled = result.applied > 0 ? 0 : stalled + 1;
        } while ((this.catchUpAgain || this.store.needsCatchUp()) && stalled < 5 && !this.closed);
        this.catchUpAttempt = 0;
        this.setError(null);
      } catch (error) {
        if (this.deniedBy(error, 'catch-up')) return;
        this.catchUpAttempt++;
        const delay = backoffDelay(this.catchUpAttempt, this.retryInitialMs, this.retryMaxMs);
        this.log.warn({ space: this.space, reason, err: String(error), retryInMs: delay }, 'catch-up failed');
        this.setError(`Could not fetch missed updates (${describe(error)}); retrying.`);
        if (!this.closed) {
          this.catchUpTimer = setTimeout(() => {
            this.catchUpTimer = null;
            void this.catchUp(`retry after ${reason}`);
          }, delay);
        }
      } finally {
        this.catchUpRun = null;
      }
    })();
    this.catchUpRun = run;
    return run;
  }

  private async load(): Promise<void> {
    try {
      const snapshot = await this.api.snapshot(this.space);
      if (this.closed) return;
      await this.opener.setKeys(snapshot.keys);
      this.store.load(snapshot);
      for (const payload of this.unopened.splice(0)) this.receivePacket(payload);
      this.loadAttempt = 0;
      this.setError(null);
      // Covers events between the snapshot and the room connecting, and any held early packets.
      if (this.room || this.store.needsCatchUp()) void this.catchUp('loaded');
    } catch (error) {
      if (this.closed || this.deniedBy(error, 'load')) return;
      this.loadAttempt++;
      const delay = backoffDelay(this.loadAttempt, this.retryInitialMs, this.retryMaxMs);
      this.log.warn({ space: this.space, err: String(error), retryInMs: delay }, 'loading the space failed');
      this.setError(`Could not load this space (${describe(error)}); retrying.`);
      this.loadTimer = setTimeout(() => {
        this.loadTimer = null;
        void this.load();
      }, delay);
    }
  }

  private async connect(): Promise<void> {
    if (this.closed || this.denied || this.connecting || this.room) return;
    this.connecting = true;
    this.setStatus(this.stats.connects === 0 && this.connectAttempt === 0 ? 'connecting' : 'reconnecting');
    let room: Room | null = null;
    try {
      // A fresh token every time: a new identity, and a TTL that is never stale.
      const { url, token } = await this.api.joinToken(this.space);
      if (this.closed) return;
      room = this.createRoom();
      this.bind(room);
      this.room = room;
      await room.connect(url, token);
      if (this.closed) return;
      this.stats.connects++;
      this.connectAttempt = 0;
      this.updatePresence();
      this.setStatus('live');
      this.log.info({ space: this.space, identity: room.localParticipant.identity }, 'connected');
      void this.catchUp('connected');
    } catch (error) {
      if (this.closed) return;
      if (room && this.room === room) this.room = null;
      room?.removeAllListeners();
      void room?.disconnect();
      if (this.deniedBy(error, 'join token')) return;
      this.scheduleReconnect(`connect failed: ${describe(error)}`);
    } finally {
      this.connecting = false;
      if (this.closed && room) void room.disconnect();
    }
  }

  private scheduleReconnect(why: string): void {
    if (this.closed || this.denied || this.connectTimer) return;
    this.connectAttempt++;
    const delay = backoffDelay(this.connectAttempt, this.retryInitialMs, this.retryMaxMs);
    this.log.warn({ space: this.space, why, attempt: this.connectAttempt, retryInMs: delay }, 'reconnecting');
    this.setStatus(this.isOffline() ? 'offline' : 'reconnecting');
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      void this.connect();
    }, delay);
  }

  private bind(room: Room): void {
    room
      .on(RoomEvent.DataReceived, (payload, participant, _kind, topic, _encryption, participantIdentity) => {
        if (topic !== SYNC_TOPIC) return;
        if (participant || participantIdentity) {
          // Tokens grant no data publishing, so the SFU should have dropped this; never trust it anyway.
          this.stats.ignoredPackets++;
          this.log.warn(
            { space: this.space, from: participant?.identity ?? participantIdentity },
            'ignored a sync packet sent by a participant',
          );
          return;
        }
        this.receivePacket(payload);
      })
      .on(RoomEvent.Reconnecting, () => this.setStatus('reconnecting'))
      .on(RoomEvent.SignalReconnecting, () => this.setStatus('reconnecting'))
      .on(RoomEvent.Reconnected, () => {
        this.setStatus('live');
        this.updatePresence();
        // LiveKit replays nothing the server API sent while we were away.
        void this.catchUp('reconnected');
      })
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        if (this.room !== room) return;
        this.room = null;
        room.removeAllListeners();
        this.updatePresence();
        if (!this.closed) this.scheduleReconnect(`disconnected (${DisconnectReason[reason ?? 0] ?? reason})`);
      })
      .on(RoomEvent.ParticipantConnected, () => this.updatePresence())
      .on(RoomEvent.ParticipantDisconnected, () => this.updatePresence())
      .on(RoomEvent.ParticipantAttributesChanged, () => this.updatePresence())
      .on(RoomEvent.ParticipantNameChanged, () => this.updatePresence());
  }

  /** Queue a packet: verified and opened in arrival order, then applied; nothing else reaches the store. */
  private receivePacket(payload: Uint8Array): void {
    this.inbox = this.inbox
      .then(() => this.openPacket(payload))
      .catch((error: unknown) =>
        this.log.error({ space: this.space, err: describe(error) }, 'opening a sync packet failed'),
      );
  }

  private async openPacket(payload: Uint8Array): Promise<void> {
    if (this.closed) return;
    if (!this.opener.hasKeys) {
      // Before the snapshot nothing can be verified; the snapshot covers anything beyond this many.
      if (this.unopened.length < MAX_UNOPENED) this.unopened.push(payload);
      return;
    }
    const opened = await this.opener.open(payload);
    if (this.closed) return;
    if (!opened.ok) {
      this.reject(opened);
      return;
    }
    this.onPacket(opened.plaintext, opened.epoch);
  }

  /**
   * A packet that did not verify or open changes nothing. A key id we do not hold may be genuine (a
   * rotation since our last answer), so it triggers one key fetch and a catch-up, rate-limited.
   */
  private reject(failure: Extract<OpenResult, { ok: false }>): void {
    this.stats.ignoredPackets++;
    this.stats.rejectedPackets++;
    this.log.warn(
      { space: this.space, reason: failure.reason, error: failure.error },
      'rejected a sync packet: it did not verify or open with the keys the server gave us',
    );
    if (failure.reason === 'unknown-signing-key' || failure.reason === 'unknown-space-key') {
      this.requestKeys();
    }
  }

  private requestKeys(): void {
    if (this.closed || this.denied || this.keyFetch || this.keyFetchTimer) return;
    const wait = this.lastKeyFetch + this.keyRefetchMs - Date.now();
    if (wait > 0) {
      // Once per interval at most, but never dropped: a genuine rotation still gets its keys.
      this.keyFetchTimer = setTimeout(() => {
        this.keyFetchTimer = null;
        this.requestKeys();
      }, wait);
      return;
    }
    this.lastKeyFetch = Date.now();
    this.stats.keyFetches++;
    this.keyFetch = (async () => {
      try {
        const keys = await this.api.keys(this.space);
        if (this.closed) return;
        await this.opener.setKeys(keys);
        // What the packet carried comes from the server instead; it is never re-read from the room.
        void this.catchUp('unknown key id');
      } catch (error) {
        if (this.closed || this.deniedBy(error, 'keys')) return;
        this.log.warn({ space: this.space, err: describe(error) }, 'fetching the space keys failed');
      } finally {
        this.keyFetch = null;
      }
    })();
  }

  private onPacket(plaintext: Uint8Array, sealedEpoch: string): void {
    const decoded = decodePacket(plaintext);
    if (!decoded.ok) {
      this.stats.ignoredPackets++;
      this.log.warn({ space: this.space, error: decoded.error }, 'ignored an invalid sync packet');
      return;
    }
    const { packet, unknownTypes } = decoded;
    if (packet.space !== this.space || packet.epoch !== sealedEpoch) {
      this.stats.ignoredPackets++;
      this.log.warn(
        { space: this.space, packetSpace: packet.space },
        'ignored a sync packet whose content names another space or epoch than its seal',
      );
      return;
    }
    if (unknownTypes.length > 0) {
      this.log.info(
        { space: this.space, types: [...new Set(unknownTypes)] },
        'skipped events of unknown types',
      );
    }
    this.stats.packets++;
    const result = this.store.receive(packet.epoch, packet.events, packet.refs);
    if (!result.needsCatchUp) return;
    if (packet.refs.length > 0 || packet.epoch !== this.store.position.epoch) {
      void this.catchUp('ref or new epoch');
    } else if (!this.holdTimer) {
      this.holdTimer = setTimeout(() => {
        this.holdTimer = null;
        if (this.store.needsCatchUp()) void this.catchUp('gap');
      }, this.holdMs);
    }
  }

  private watchPage(): void {
    const win = this.page?.window;
    const doc = this.page?.document;
    const resume = (why: string) => {
      if (this.closed || this.denied) return;
      if (this.room?.state === ConnectionState.Connected) this.setStatus('live');
      if (!this.room && !this.connecting) {
        if (this.connectTimer) clearTimeout(this.connectTimer);
        this.connectTimer = null;
        void this.connect();
      }
      void this.catchUp(why);
    };
    if (doc) {
      const onVisible = () => {
        if (doc.visibilityState === 'visible') resume('page visible');
      };
      doc.addEventListener('visibilitychange', onVisible);
      this.detachPage.push(() => doc.removeEventListener('visibilitychange', onVisible));
    }
    if (win) {
      const onOnline = () => resume('online');
      const onOffline = () => this.setStatus('offline');
      win.addEventListener('online', onOnline);
      win.addEventListener('offline', onOffline);
      this.detachPage.push(() => {
        win.removeEventListener('online', onOnline);
        win.removeEventListener('offline', onOffline);
      });
    }
  }

  /** Cancels every pending retry and lets go of the room, which the caller disconnects. */
  private release(): Room | null {
    for (const timer of [
      this.connectTimer,
      this.loadTimer,
      this.holdTimer,
      this.catchUpTimer,
      this.keyFetchTimer,
    ]) {
      if (timer) clearTimeout(timer);
    }
    this.connectTimer = this.loadTimer = this.holdTimer = this.catchUpTimer = this.keyFetchTimer = null;
    this.unopened = [];
    const room = this.room;
    this.room = null;
    return room;
  }

  /** Stops everything when the server refused the space for good; false for errors worth retrying. */
  private deniedBy(error: unknown, during: string): boolean {
    if (!this.api.isDenied?.(error)) return false;
    if (this.denied) return true;
    this.denied = true;
    const room = this.release();
    room?.removeAllListeners();
    void room?.disconnect();
    this.log.warn(
      { space: this.space, during, err: describe(error) },
      'the server refused this space; stopped',
    );
    this.presence = [];
    this.setError(describe(error));
    this.setStatus('denied');
    return true;
  }

  private isOffline(): boolean {
    return this.page?.window?.navigator?.onLine === false;
  }

  private updatePresence(): void {
    const room = this.room;
    this.presence = room ? presenceOf(room.localParticipant, room.remoteParticipants.values()) : [];
    this.changed();
  }

  private setStatus(status: SyncStatus): void {
    if (this.status === status || (this.denied && status !== 'denied')) return;
    this.status = status;
    this.changed();
  }

  private setError(error: string | null): void {
    if (this.error === error) return;
    this.error = error;
    this.changed();
  }

  private changed(): void {
    this.cached = null;
    for (const listener of this.listeners) listener();
  }
}

/** Packets held before the first snapshot; more than this and the snapshot's catch-up covers them. */
const MAX_UNOPENED = 256;

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
