import { SpaceConnection, type SpaceConnectionOptions } from './space-connection.ts';
import type { SyncApi, SyncLogger } from './types.ts';

interface Entry {
  connection: SpaceConnection;
  refs: number;
  timer?: ReturnType<typeof setTimeout>;
}

export interface SyncClientOptions {
  api: SyncApi;
  logger?: SyncLogger;
  /**
   * How long a space stays connected after its last user lets go, so remounts reuse it (default 500 ms).
   * Short on purpose: while it lasts, a person who moved elsewhere still shows as here to the others.
   */
  graceMs?: number;
  connection?: Omit<SpaceConnectionOptions, 'space' | 'api' | 'logger'>;
}

/**
 * One `SpaceConnection` (one LiveKit room) per space for the whole page, shared by every hook and
 * reference-counted: the last `release` starts a grace period, and only then is the room left.
 */
export class SyncClient {
  private readonly connections = new Map<string, Entry>();

  constructor(private readonly options: SyncClientOptions) {}

  /** The space's connection, created if needed but not started (safe to call during render). */
  get(space: string): SpaceConnection {
    const existing = this.connections.get(space);
    if (existing) return existing.connection;
    const connection = new SpaceConnection({
      ...this.options.connection,
      space,
      api: this.options.api,
      logger: this.options.logger,
    });
    const entry: Entry = { connection, refs: 0 };
    this.connections.set(space, entry);
    this.scheduleClose(space, entry);
    return connection;
  }

  /** Start using a space; call the returned function (once) when done. */
  retain(space: string): () => void {
    this.get(space);
    const entry = this.connections.get(space);
    if (!entry) throw new Error(`no connection for ${space}`);
    entry.refs++;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.connection.start();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      entry.refs--;
      if (entry.refs === 0) this.scheduleClose(space, entry);
    };
  }

  /** Spaces with a live or lingering connection (for tests). */
  get size(): number {
    return this.connections.size;
  }

  async close(): Promise<void> {
    const entries = [...this.connections.values()];
    this.connections.clear();
    for (const entry of entries) if (entry.timer) clearTimeout(entry.timer);
    await Promise.all(entries.map((entry) => entry.connection.close()));
  }

  private scheduleClose(space: string, entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (entry.refs > 0 || this.connections.get(space) !== entry) return;
      this.connections.delete(space);
      void entry.connection.close();
    }, this.options.graceMs ?? 500);
  }
}
