import { Retrier } from '@rhizom/retry';
import { RoomServiceClient, WebhookReceiver } from 'livekit-server-sdk';
import type { Logger } from 'pino';
import type { SyncEvent } from '../event.ts';
import { type Broadcaster, type BroadcasterOptions, createBroadcaster } from './broadcaster.ts';
import { type CatchUpOptions, type CatchUpService, createCatchUp } from './catch-up.ts';
import type { SyncDatabase } from './database.ts';
import { BEING_ATTRIBUTE, createJoinToken, type JoinTokenRequest } from './join-token.ts';
import { createLiveKitSender, isRoomNotFound, listRoomParticipants } from './livekit-sender.ts';
import { createPresence, type Presence } from './presence.ts';
import { type RetentionOptions, startPruner } from './pruner.ts';
import { createSendDataClient } from './send-data-client.ts';
import { createSigningKeys, type SigningKeys } from './signing-keys.ts';

export interface SyncServerOptions {
  db: SyncDatabase;
  logger: Logger;
  /** Without it, catch-up works but nothing is broadcast and no join tokens are issued. */
  livekit?: {
    /** Where this server reaches LiveKit's API (ws(s):// or http(s)://). */
    url: string;
    /** What browsers connect to; defaults to `url`. */
    publicUrl?: string;
    apiKey: string;
    apiSecret: string;
    /** Join-token lifetime, clamped to 1 minute … 1 hour (default 2 minutes). */
    tokenTtlSeconds?: number;
    /** Timeout of one SendData call (default 5 s). */
    requestTimeoutSeconds?: number;
  };
  loadSpace: CatchUpOptions['loadSpace'];
  /**
   * Whether a connection may be in a space's room now (the app's "may view" rule over stored rows).
   * Checked on every `participant_joined` webhook and at every reconciliation; a connection it refuses
   * is removed, so a token that outlived its holder's permission buys nothing but a removal. Without it,
   * everyone with a valid token stays.
   */
  admit?: (space: string, connection: Connection) => Promise<boolean>;
  retention?: RetentionOptions & { pruneIntervalMs?: number };
  broadcast?: Omit<BroadcasterOptions, 'db' | 'send' | 'logger' | 'signingKeys'>;
  /** How often each process re-reads the signing keys, so a rotation reaches it (default 30 s). */
  signingKeyRefreshMs?: number;
  maxCatchUpEvents?: number;
  /** Bytes one snapshot or catch-up answer may carry (`DEFAULT_ANSWER_MAX_BYTES`); longer catch-up is paged. */
  maxAnswerBytes?: number;
  /** How often presence rows are checked against LiveKit's rooms, first at start (default 60 s). */
  presenceReconcileMs?: number;
  /** Retries of an eviction LiveKit refused (default 8 attempts, 250 ms doubling to 10 s: about 25 s). */
  evictRetry?: { attempts?: number; initialMs?: number; maxMs?: number };
}

/** One connection to a space's room: its LiveKit identity and the being behind it (null: a hidden visitor). */
export interface Connection {
  identity: string;
  beingId: string | null;
}

export interface SyncServer extends CatchUpService {
  /** The write hook: call with the spaces a committed write touched, and its events if at hand. */
  notify(spaceIds: readonly string[], committed?: readonly SyncEvent[]): void;
  /** Throws `LiveSyncUnavailable` when no LiveKit server is configured. */
  joinToken(
    request: JoinTokenRequest,
  ): Promise<{ url: string; token: string; identity: string; expiresAt: Date }>;
  /**
   * Remove from the space's room every connection whose being may no longer see the space (it went
   * private, they left, it was deleted). Tokens outlive permissions, so this is what ends their feed.
   * A failed pass (LiveKit unreachable, an error answer) is retried with backoff; the last failure is
   * thrown. Returns the identities removed.
   */
  evict(space: string, mayStay: (connection: Connection) => Promise<boolean>): Promise<string[]>;
  /**
   * Remove, from every room LiveKit has, the connections `admit` refuses (joins whose webhook was lost, a
   * connection outliving its token), then drop presence rows of connections LiveKit no longer has.
   * Returns how many presence rows went. Runs at start and every `presenceReconcileMs`.
   */
  reconcilePresence(): Promise<number>;
  /**
   * Verify a LiveKit webhook (throws on a bad signature), re-check a joining connection's admission
   * (removing it if refused) and update presence.
   */
  receiveWebhook(body: string, authorization: string | undefined): Promise<void>;
  presence: Presence;
  broadcaster: Broadcaster | null;
  signingKeys: SigningKeys;
  close(): Promise<void>;
}

const liveSyncUnavailableBrand = Symbol.for('rhizom.LiveSyncUnavailable');

export class LiveSyncUnavailable extends Error {
  // An app bundler may load this module twice (Next.js instrumentation and route handlers): instanceof
  // checks a brand, so an error from one copy is recognised by the other.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && liveSyncUnavailableBrand in value;
  }
  readonly [liveSyncUnavailableBrand] = true;
  constructor() {
    super('Live sync is off: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET (npm start sets them).');
  }
}

/** Everything the app needs for live sync, from one call; nothing listens on a port. */
export function startSyncServer(options: SyncServerOptions): SyncServer {
  const { livekit } = options;
  const log = options.logger.child({ component: 'sync' });
  const signingKeys = createSigningKeys({ db: options.db, refreshMs: options.signingKeyRefreshMs });
  const roomService = livekit
    ? new RoomServiceClient(livekit.url, livekit.apiKey, livekit.apiSecret, {
        requestTimeout: livekit.requestTimeoutSeconds ?? 5,
      })
    : null;
  const sendDataClient = livekit
    ? createSendDataClient({
        url: livekit.url,
        apiKey: livekit.apiKey,
        apiSecret: livekit.apiSecret,
        requestTimeoutSeconds: livekit.requestTimeoutSeconds,
      })
    : null;
  const broadcaster =
    roomService && sendDataClient
      ? createBroadcaster({
          ...options.broadcast,
          db: options.db,
          logger: options.logger,
          send: createLiveKitSender(sendDataClient, roomService),
          signingKeys,
        })
      : null;
  if (!livekit) log.warn('LIVEKIT_URL is not set: sync events are stored for catch-up but not broadcast');
  const pruner = startPruner({
    db: options.db,
    logger: options.logger,
    ...options.retention,
    intervalMs: options.retention?.pruneIntervalMs,
  });
  const catchUp = createCatchUp({
    db: options.db,
    loadSpace: options.loadSpace,
    maxEvents: options.maxCatchUpEvents,
    maxAnswerBytes: options.maxAnswerBytes,
    signingKeys,
  });
  const presence = createPresence({ db: options.db, logger: options.logger });
  const webhooks = livekit ? new WebhookReceiver(livekit.apiKey, livekit.apiSecret) : null;
  const remove = async (service: RoomServiceClient, space: string, identity: string) => {
    try {
      await service.removeParticipant(space, identity);
    } catch (error) {
      if (!isRoomNotFound(error)) throw error;
    }
  };
  const evictOnce = async (
    service: RoomServiceClient,
    space: string,
    mayStay: Parameters<SyncServer['evict']>[1],
  ): Promise<string[]> => {
    const removed: string[] = [];
    for (const participant of (await listRoomParticipants(service, space)) ?? []) {
      const beingId = participant.attributes[BEING_ATTRIBUTE] || null;
      if (await mayStay({ identity: participant.identity, beingId })) continue;
      await remove(service, space, participant.identity);
      removed.push(participant.identity);
    }
    if (removed.length > 0)
      log.info({ space, identities: removed }, 'removed connections that lost sight of the space');
    return removed;
  };
  // The periodic admission pass: every room LiveKit has, not only those presence knows (a lost webhook).
  const admitEveryRoom = async (
    service: RoomServiceClient,
    admit: NonNullable<SyncServerOptions['admit']>,
  ) => {
    for (const room of await service.listRooms()) {
      await evictOnce(service, room.name, (connection) => admit(room.name, connection)).catch(
        (error: unknown) =>
          log.warn({ err: error, space: room.name }, 'could not re-check who is in a room; will retry'),
      );
    }
  };
  /**
   * A join is re-checked because LiveKit cannot revoke a token: whoever lost sight of a space may still
   * hold one. A check that fails (database down) refuses: the client reconnects and is checked again.
   */
  const admitted = async (space: string, connection: Connection): Promise<boolean> => {
    if (!options.admit) return true;
    try {
      return await options.admit(space, connection);
    } catch (error) {
      log.error(
        { err: error, space, identity: connection.identity },
        'could not check a joining connection; removing it',
      );
      return false;
    }
  };
  const reconcilePresence = async () => {
    if (!roomService) return 0;
    if (options.admit) {
      await admitEveryRoom(roomService, options.admit).catch((error: unknown) =>
        log.warn({ err: error }, 'could not list the rooms to re-check who is in them; will retry'),
      );
    }
    return presence.reconcile(
      async (space) =>
        (await listRoomParticipants(roomService, space))?.map((participant) => participant.identity) ?? null,
    );
  };
  let reconcileRun: Promise<unknown> = Promise.resolve();
  const reconcileLogged = () => {
    reconcileRun = reconcilePresence().catch((error: unknown) =>
      log.warn({ err: error }, 'reconciling presence failed; will retry'),
    );
  };
  let reconciling: ReturnType<typeof setInterval> | undefined;
  if (roomService) {
    reconcileLogged();
    reconciling = setInterval(reconcileLogged, options.presenceReconcileMs ?? 60_000);
    reconciling.unref();
  }

  // Retries wait on this, so closing the server ends them at once instead of holding shutdown.
  const closing = new AbortController();
  const evictPolicy = {
    maxAttempts: options.evictRetry?.attempts ?? 8,
    initialMs: options.evictRetry?.initialMs ?? 250,
    maxMs: options.evictRetry?.maxMs ?? 10_000,
  };
  const evict: SyncServer['evict'] = async (space, mayStay) => {
    if (!roomService) return [];
    const retrier = new Retrier(evictPolicy, { signal: closing.signal });
    for (;;) {
      try {
        return await evictOnce(roomService, space, mayStay);
      } catch (error) {
        const again = await retrier.wait((retryInMs) =>
          log.warn(
            { err: error, space, attempt: retrier.attempts, retryInMs },
            'removing connections that lost sight of a space failed; retrying',
          ),
        );
        if (!again) throw error;
      }
    }
  };

  return {
    ...catchUp,
    evict,
    notify: (spaceIds, committed) => broadcaster?.notify(spaceIds, committed),
    async joinToken(request) {
      if (!livekit) throw new LiveSyncUnavailable();
      const minted = await createJoinToken(
        { apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, ttlSeconds: livekit.tokenTtlSeconds },
        request,
      );
      return { url: livekit.publicUrl ?? livekit.url, ...minted };
    },
    async receiveWebhook(body, authorization) {
      if (!webhooks) throw new LiveSyncUnavailable();
      const event = await webhooks.receive(body, authorization);
      const space = event.room?.name;
      const participant = event.participant;
      if (event.event === 'participant_joined' && roomService && space && participant) {
        const connection = {
          identity: participant.identity,
          beingId: participant.attributes[BEING_ATTRIBUTE] || null,
        };
        if (!(await admitted(space, connection))) {
          await remove(roomService, space, participant.identity);
          log.info(
            { space, identity: participant.identity },
            'removed a connection that may not see the space',
          );
          return;
        }
      }
      await presence.handle(event);
    },
    presence,
    reconcilePresence,
    broadcaster,
    signingKeys,
    async close() {
      closing.abort();
      clearInterval(reconciling);
      await reconcileRun;
      pruner.close();
      await broadcaster?.close();
      sendDataClient?.close();
    },
  };
}
