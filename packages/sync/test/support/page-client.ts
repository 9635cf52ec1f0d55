/**
 * Runs in Chromium (bundled by esbuild): the real sync client (SpaceConnection + livekit-client) against
 * the harness's HTTP API. The test drives it through `window.rhizom`.
 */
import { SpaceConnection } from '../../src/client/space-connection.ts';
import type { SyncApi, SyncLogger } from '../../src/client/types.ts';

/** What the client did and when (wall clock, as the test's): its log, API calls, status and seq. */
const timeline: { at: number; what: string }[] = [];
const mark = (what: string) => timeline.push({ at: Date.now(), what });
const log = (fields: object, message: string) => mark(`${message} ${JSON.stringify(fields)}`);
const logger: SyncLogger = { debug: log, info: log, warn: log, error: log };

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, body: unknown): Promise<T> {
  mark(`${path} asked`);
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
  mark(`${path} answered ${response.status}`);
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
    const live = new SpaceConnection({ space, api, logger, ...retry });
    connection = live;
    let status = '';
    live.subscribe(() => {
      if (live.getState().status === status) return;
      status = live.getState().status;
      mark(`status ${status}`);
    });
    live.store.subscribe(() => {
      const seq = live.store.position.seq;
      if (seqLog[seqLog.length - 1] === seq) return;
      seqLog.push(seq);
      mark(`seq ${seq}`);
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
  /** The timeline since the last call. */
  timeline() {
    return timeline.splice(0);
  },
  async cut(scenario: 'full-reconnect' | 'resume-reconnect' | 'signal-reconnect'): Promise<void> {
    await connection?.currentRoom?.simulateScenario(scenario);
  },
  async close(): Promise<void> {
    await connection?.close();
  },
};

(globalThis as unknown as { rhizom: typeof rhizom }).rhizom = rhizom;
