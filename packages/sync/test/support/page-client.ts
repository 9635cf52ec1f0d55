/**
 * Runs in Chromium (bundled by esbuild): the real sync client (SpaceConnection + livekit-client) against
 * the harness's HTTP API. The test drives it through `window.rhizom`.
 */
import { SpaceConnection } from '../../src/client/space-connection.ts';
import type { SyncApi } from '../../src/client/types.ts';

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) {
    throw new HttpError(response.status, `${path}: ${response.status} ${await response.text()}`);
  }
  return (await response.json()) as T;
}

let connection: SpaceConnection | null = null;
/** Every seq the store reached, in order: proves nothing was applied twice or out of order. */
const seqLog: number[] = [];

const rhizom = {
  /** `defaults`: the client's own retry schedule, as the app runs it, instead of the tests' quick one. */
  start(space: string, beingId: string, schedule: 'quick' | 'defaults' = 'quick'): void {
    const api: SyncApi = {
      snapshot: (s) => call('/api/snapshot', { space: s, beingId }),
      since: (request) => call('/api/since', { ...request, beingId }),
      keys: (s) => call('/api/keys', { space: s, beingId }),
      joinToken: (s) => call('/api/token', { space: s, beingId }),
      isDenied: (error) => error instanceof HttpError && error.status === 404,
    };
    const retry = schedule === 'quick' ? { holdMs: 100, retryInitialMs: 100, retryMaxMs: 1_000 } : {};
    connection = new SpaceConnection({ space, api, ...retry });
    connection.store.subscribe(() => {
      const seq = connection?.store.position.seq ?? 0;
      if (seqLog[seqLog.length - 1] !== seq) seqLog.push(seq);
    });
    connection.start();
  },
  state() {
    if (!connection) throw new Error('start() first');
    const state = connection.getState();
    return {
      status: state.status,
      seq: state.seq,
      intentions: state.intentions.map((row) => ({ id: row.id, content: row.content })),
      presence: state.presence.map((entry) => ({ ...entry })),
      stats: { ...connection.stats },
      seqLog: [...seqLog],
      identity: connection.currentRoom?.localParticipant.identity ?? null,
    };
  },
  async cut(scenario: 'full-reconnect' | 'resume-reconnect' | 'signal-reconnect'): Promise<void> {
    await connection?.currentRoom?.simulateScenario(scenario);
  },
  async close(): Promise<void> {
    await connection?.close();
  },
};

(globalThis as unknown as { rhizom: typeof rhizom }).rhizom = rhizom;
