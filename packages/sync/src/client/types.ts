import type { SyncKeys } from '../seal/keys.ts';
import type { CatchUp, Keyed, SpaceSnapshot } from '../snapshot.ts';
import type { SpaceView } from './store.ts';

/**
 * The server calls a client needs; the app implements them with tRPC. Snapshot, catch-up and keys answers
 * carry the keys that open the space's packets: the only way a client gets them.
 */
export interface SyncApi {
  snapshot(space: string): Promise<Keyed<SpaceSnapshot>>;
  since(request: { space: string; epoch: string; afterSeq: number }): Promise<Keyed<CatchUp>>;
  keys(space: string): Promise<SyncKeys>;
  joinToken(space: string): Promise<{ url: string; token: string }>;
  /**
   * True for an error that retrying cannot fix: the server says this person may not see the space (it
   * went private, they left it, it was deleted). The connection then stops, with status `denied`.
   */
  isDenied?(error: unknown): boolean;
}

export type SyncStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'denied';

/** One being present in the space, however many connections (tabs) it has. */
export interface PresenceEntry {
  beingId: string;
  name: string;
  connections: number;
  self: boolean;
}

export interface SpaceSyncState extends SpaceView {
  presence: readonly PresenceEntry[];
  status: SyncStatus;
  /** Why the last load, connect or catch-up failed, for people; null when all is well. */
  error: string | null;
}

/** pino-shaped, so the browser can pass a console adapter and Node a pino logger. */
export interface SyncLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export const consoleLogger: SyncLogger = {
  debug: (fields, message) => console.debug(`[sync] ${message}`, fields),
  info: (fields, message) => console.info(`[sync] ${message}`, fields),
  warn: (fields, message) => console.warn(`[sync] ${message}`, fields),
  error: (fields, message) => console.error(`[sync] ${message}`, fields),
};
