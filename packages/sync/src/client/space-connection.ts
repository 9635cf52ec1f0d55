import { type BackoffPolicy, Retrier, Timer } from '@rhizom/retry';
import {
  ConnectionError,
  ConnectionErrorReason,
  ConnectionState,
  DisconnectReason,
  Room,
  RoomEvent,
} from 'livekit-client';
import type { IntentionView } from '../entities.ts';
import { decodePacket, SYNC_TOPIC } from '../packet.ts';
import { type OpenResult, PacketOpener } from '../seal/packet-opener.ts';
import { CatchUpScheduler, type CatchUpStats } from './catch-up-scheduler.ts';
import { JoinTokens } from './join-tokens.ts';
import { browserPage, type Page, PageLifecycle } from './page-lifecycle.ts';
import { presenceOf, samePresence } from './presence.ts';
import { noSdkReconnects } from './reconnect-policy.ts';
import { RoomLiveness } from './room-liveness.ts';
import { silentAudio } from './silent-audio.ts';
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
  /** The first wait before retrying a failed load or catch-up (default 250 ms), or connect (default 100 ms). */
  retryInitialMs?: number;
  /** The longest wait, reached once the first second-bounded retries failed (default 15 s). */
  retryMaxMs?: number;
  /**
   * Least time between two key fetches a packet with an unknown key id may trigger (default 5 s): a
   * forger can name any key id, so this bounds what it costs the server to one call per interval.
   */
  keyRefetchMs?: number;
  /** Where page lifecycle events come from; defaults to the browser's window/document when present. */
  page?: Page | null;
  createRoom?: () => Room;
}

export interface ConnectionStats extends CatchUpStats {
  packets: number;
  ignoredPackets: number;
  /** Packets that failed verification or decryption (also counted in `ignoredPackets`). */
  rejectedPackets: number;
  keyFetches: number;
  connects: number;
}

/** Retries of a failed load or catch-up stay within a second for this many attempts, then back off. */
const QUICK_RETRIES = 4;
/**
 * Connect attempts after a drop stay within a second for this many (about 10 s), so one lands within a
 * second of an SFU that restarts, even one slow to start; then they back off, doubling from a second to
 * `retryMaxMs`, so a long outage is not hammered.
 */
const QUICK_RECONNECTS = 16;

/**
 * Live state of one space: a LiveKit room feeding a `SpaceStore`, with the reconnection rules of the sync
 * protocol; all it publishes is its presence heartbeat (`RoomLiveness`). Catch-up (`CatchUpScheduler`)
 * runs after the first load and every (re)connection, when the page comes back (`PageLifecycle`: visible /
 * online), when a hole in the sequence outlives `holdMs`, and when a packet announces an event too big to
 * carry.
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
  private readonly keyRefetchMs: number;
  private readonly createRoom: () => Room;
  private readonly pageSource: Page | null;
  private page: PageLifecycle | null = null;

  private room: Room | null = null;
  /** Heartbeats and who is still heard, for `room`. */
  private liveness: RoomLiveness | null = null;
  private started = false;
  private closed = false;
  /** The server refused this person the space: nothing is retried any more. */
  private denied = false;
  private status: SyncStatus = 'connecting';
  private error: string | null = null;
  private presence: readonly PresenceEntry[] = [];
  private connecting = false;
  private readonly connectRetry: Retrier;
  private readonly tokens: JoinTokens;
  private readonly loadRetry: Retrier;
  private readonly catchUps: CatchUpScheduler;
  private readonly listeners = new Set<() => void>();
  private cached: SpaceSyncState | null = null;
  private readonly opener: PacketOpener;
  /** Packets are opened one after another, so they reach the store in the order they arrived. */
  private inbox: Promise<void> = Promise.resolve();
  /** Packets that arrived before the first keys (the snapshot brings them); opened after it. */
  private unopened: Uint8Array[] = [];
  private keyFetch: Promise<void> | null = null;
  private readonly keyFetchTimer = new Timer();
  private lastKeyFetch = Number.NEGATIVE_INFINITY;

  constructor(options: SpaceConnectionOptions) {
    this.space = options.space;
    this.api = options.api;
    this.log = options.logger ?? consoleLogger;
    this.keyRefetchMs = options.keyRefetchMs ?? 5_000;
    this.createRoom =
      options.createRoom ??
      (() =>
        new Room({
          adaptiveStream: false,
          dynacast: false,
          reconnectPolicy: noSdkReconnects,
          webAudioMix: silentAudio(),
          // A sync room carries data only. On the single-connection path the SDK's join builds a publisher with
          // three audio and three video transceivers and an offer before anything is sent (650 ms of a page's
          // main thread at 4× CPU throttling); on the two-connection path the server's offer brings the data
          // channels, and the publisher is negotiated, data channels only, at the first presence beat.
          singlePeerConnection: false,
        }));
    this.pageSource = options.page !== undefined ? options.page : browserPage();
    this.store = new SpaceStore(this.space);
    this.opener = new PacketOpener(this.space);
    const retry: BackoffPolicy = {
      initialMs: options.retryInitialMs ?? 250,
      maxMs: options.retryMaxMs ?? 15_000,
      quickAttempts: QUICK_RETRIES,
      quickMaxMs: 1_000,
    };
    this.connectRetry = new Retrier({
      ...retry,
      initialMs: options.retryInitialMs ?? 100,
      quickAttempts: QUICK_RECONNECTS,
    });
    this.tokens = new JoinTokens(() => this.api.joinToken(this.space));
    this.loadRetry = new Retrier(retry);
    this.catchUps = new CatchUpScheduler({
      space: this.space,
      api: this.api,
      store: this.store,
      opener: this.opener,
      log: this.log,
      stats: this.stats,
      retry,
      holdMs: options.holdMs ?? 150,
      stopped: () => this.closed || this.denied,
      failed: (error, reason, retryInMs) => {
        if (this.deniedBy(error, 'catch-up')) return true;
        this.log.warn({ space: this.space, reason, err: String(error), retryInMs }, 'catch-up failed');
        this.setError(`Could not fetch missed updates (${describe(error)}); retrying.`);
        return false;
      },
      succeeded: () => this.setError(null),
    });
    this.store.subscribe(() => this.changed());
  }

  /** Idempotent. Loads the snapshot and connects the room in parallel. */
  start(): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.page = new PageLifecycle(this.pageSource, {
      resume: (why) => this.resume(why),
      offline: () => this.setStatus('offline'),
    });
    void this.load();
    void this.connect();
  }

  /** Leave the room and stop every timer; safe while a token request or connect is still pending. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const room = this.release();
    this.page?.close();
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
    return this.catchUps.request(reason);
  }

  private async load(): Promise<void> {
    try {
      const snapshot = await this.api.snapshot(this.space);
      if (this.closed) return;
      await this.opener.setKeys(snapshot.keys);
      this.store.load(snapshot);
      for (const payload of this.unopened.splice(0)) this.receivePacket(payload);
      this.loadRetry.succeeded();
      this.setError(null);
      // Covers events between the snapshot and the room connecting, and any held early packets.
      if (this.room || this.store.needsCatchUp()) void this.catchUp('loaded');
    } catch (error) {
      if (this.closed || this.deniedBy(error, 'load')) return;
      const delay = this.loadRetry.retry(() => void this.load());
      this.log.warn({ space: this.space, err: String(error), retryInMs: delay }, 'loading the space failed');
      this.setError(`Could not load this space (${describe(error)}); retrying.`);
    }
  }

  private async connect(): Promise<void> {
    if (this.closed || this.denied || this.connecting || this.room) return;
    this.connecting = true;
    this.setStatus(
      this.stats.connects === 0 && this.connectRetry.attempts === 0 ? 'connecting' : 'reconnecting',
    );
    let room: Room | null = null;
    try {
      const { url, token } = await this.tokens.get();
      if (this.closed) return;
      room = this.createRoom();
      this.bind(room);
      this.room = room;
      this.liveness = new RoomLiveness(room, () => this.updatePresence());
      await room.connect(url, token);
      if (this.closed) return;
      this.tokens.drop();
      this.stats.connects++;
      this.connectRetry.succeeded();
      this.liveness.start();
      this.updatePresence();
      this.setStatus('live');
      this.log.info({ space: this.space, identity: room.localParticipant.identity }, 'connected');
      void this.catchUp('connected');
    } catch (error) {
      if (this.closed) return;
      if (room && this.room === room) this.letGo();
      room?.removeAllListeners();
      void room?.disconnect();
      if (this.deniedBy(error, 'join token')) return;
      // Only livekit-client's own leave on a page going away cancels a join (see Disconnected).
      if (error instanceof ConnectionError && error.reason === ConnectionErrorReason.Cancelled) return;
      if (error instanceof ConnectionError && error.reason === ConnectionErrorReason.NotAllowed) {
        this.tokens.drop();
      }
      this.scheduleReconnect(`connect failed: ${describe(error)}`);
    } finally {
      this.connecting = false;
      if (this.closed && room) void room.disconnect();
    }
  }

  private scheduleReconnect(why: string): void {
    if (this.closed || this.denied) return;
    const delay = this.connectRetry.retry(() => void this.connect());
    if (delay === null) return;
    this.log.warn(
      { space: this.space, why, attempt: this.connectRetry.attempts, retryInMs: delay },
      'reconnecting',
    );
    this.setStatus(this.page?.offline ? 'offline' : 'reconnecting');
  }

  /** The page is back: reconnect now if the room is gone (skipping the backoff's wait), and catch up. */
  private resume(why: string): void {
    if (this.closed || this.denied) return;
    if (this.room?.state === ConnectionState.Connected) this.setStatus('live');
    if (!this.room && !this.connecting) {
      this.connectRetry.cancel();
      void this.connect();
    }
    void this.catchUp(why);
  }

  private bind(room: Room): void {
    room
      .on(RoomEvent.DataReceived, (payload, participant, _kind, topic, _encryption, participantIdentity) => {
        // Any packet from a participant shows it is still there, whatever its topic.
        if (participant) this.liveness?.heard(participant);
        if (topic !== SYNC_TOPIC) return;
        if (participant || participantIdentity) {
          // Participants may publish only their heartbeat; a sync packet from one is never the server's.
          this.stats.ignoredPackets++;
          this.log.warn(
            { space: this.space, from: participant?.identity ?? participantIdentity },
            'ignored a sync packet sent by a participant',
          );
          return;
        }
        this.receivePacket(payload);
      })
      // Joined again after a drop: the server is up and holds what is sent to us from now on until our
      // channel opens, so the catch-up runs while the peer connection comes up (the one after it
      // confirms). A first join has the snapshot in flight instead.
      .on(RoomEvent.SignalConnected, () => {
        if (this.stats.connects > 0) void this.catchUp('joined');
      })
      .on(RoomEvent.Reconnecting, () => this.setStatus('reconnecting'))
      .on(RoomEvent.SignalReconnecting, () => this.setStatus('reconnecting'))
      .on(RoomEvent.Reconnected, () => {
        this.setStatus('live');
        this.liveness?.restart();
        this.updatePresence();
        // LiveKit replays nothing the server API sent while we were away.
        void this.catchUp('reconnected');
      })
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        if (this.room !== room) return;
        this.letGo();
        room.removeAllListeners();
        this.updatePresence();
        if (this.closed) return;
        if (reason === DisconnectReason.CLIENT_INITIATED) {
          // livekit-client leaves by itself only when the page goes away (pagehide, beforeunload, freeze):
          // joining again from a closing page would leave a ghost in the room until the server times it
          // out. If the page comes back, the page lifecycle reconnects.
          this.setStatus('reconnecting');
          return;
        }
        this.scheduleReconnect(`disconnected (${DisconnectReason[reason ?? 0] ?? reason})`);
      })
      .on(RoomEvent.ParticipantConnected, () => this.updatePresence())
      .on(RoomEvent.ParticipantDisconnected, (participant) => {
        this.liveness?.left(participant.identity);
        this.updatePresence();
      })
      .on(RoomEvent.ParticipantAttributesChanged, () => this.updatePresence())
      // A newcomer's permissions arrive just after ParticipantConnected; liveness applies once they do.
      .on(RoomEvent.ParticipantPermissionsChanged, () => this.updatePresence())
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
    if (this.closed || this.denied || this.keyFetch || this.keyFetchTimer.pending) return;
    const wait = this.lastKeyFetch + this.keyRefetchMs - Date.now();
    if (wait > 0) {
      // Once per interval at most, but never dropped: a genuine rotation still gets its keys.
      this.keyFetchTimer.start(wait, () => this.requestKeys());
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
    } else {
      this.catchUps.holdForGap();
    }
  }

  /** Ends every retry and timer for good (closed or denied) and lets go of the room, which the caller disconnects. */
  private release(): Room | null {
    this.connectRetry.close();
    this.loadRetry.close();
    this.catchUps.close();
    this.keyFetchTimer.close();
    this.unopened = [];
    const room = this.room;
    this.letGo();
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

  /** The room is no longer ours: its heartbeats and liveness checks stop with it. */
  private letGo(): void {
    this.room = null;
    this.liveness?.close();
    this.liveness = null;
  }

  /** Who is here: the room's participants still heard (`RoomLiveness`), grouped by being. */
  private updatePresence(): void {
    const room = this.room;
    const remotes = this.liveness?.here() ?? room?.remoteParticipants.values() ?? [];
    const presence = room ? presenceOf(room.localParticipant, remotes) : [];
    if (samePresence(presence, this.presence)) return;
    this.presence = presence;
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
