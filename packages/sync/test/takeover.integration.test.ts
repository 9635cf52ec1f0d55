import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { type SfuServer, startSfu } from '@rhizom/sfu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAndDecode } from '../src/client/open-packet.ts';
import { SpaceStore } from '../src/client/store.ts';
import { SYNC_TOPIC } from '../src/packet.ts';
import { PacketOpener } from '../src/seal/packet-opener.ts';
import { appendSyncEvents } from '../src/server/outbox.ts';
import { type SyncServer, startSyncServer } from '../src/server/start.ts';
import { createTestDatabase, outboxProjection, type TestDatabase } from './support/database.ts';
import { posted, quietLogger } from './support/fixtures.ts';
import { API_KEY, API_SECRET } from './support/harness.ts';

/**
 * Two app processes on one PostgreSQL; the one holding a space's broadcast lease, with events committed
 * and not yet sent, dies (SIGKILL). The survivor's sweep must take the space over and get the events to
 * the room's clients quickly: the lease's length and the sweep's interval, at their defaults, decide how.
 */
const DOOMED_APP = fileURLToPath(new URL('./support/doomed-app.ts', import.meta.url));
/**
 * A takeover must come from the short renewed lease and the quick sweep, not from the 15 s lease they
 * replaced (14.9 s measured on the old code): the bound sits between the two, beyond the time the survivor
 * needs to deliver a write on this machine. The 3 s is the logged figure.
 */
const TAKEOVER_BOUND_MS = 8_000;

let db: TestDatabase;
let sfu: SfuServer;
let survivor: SyncServer;
let stalled: Server;
const sockets = new Set<Socket>();
const rooms: Room[] = [];
const children: ChildProcess[] = [];

describe.skipIf(!process.env.DATABASE_URL)('when one of two app processes dies', () => {
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    sfu = await startSfu({
      host: '127.0.0.1',
      port: 0,
      keys: { [API_KEY]: API_SECRET },
      logger: quietLogger,
    });
    survivor = startSyncServer({
      db: db.db,
      logger: quietLogger,
      livekit: { url: sfu.url, apiKey: API_KEY, apiSecret: API_SECRET },
      loadSpace: outboxProjection,
      broadcast: { instanceId: 'survivor' },
    });
    // The doomed process's LiveKit: accepts connections and never answers.
    stalled = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
  }, 120_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGKILL');
    for (const room of rooms) await room.disconnect().catch(() => {});
    for (const socket of sockets) socket.destroy();
    stalled?.close();
    await survivor?.close();
    await sfu?.close();
    await db?.close();
  });

  async function joinAsClient(space: string) {
    const store = new SpaceStore(space);
    const opener = new PacketOpener(space);
    let inbox = Promise.resolve();
    const room = new Room();
    room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      if (topic !== SYNC_TOPIC || participant) return;
      inbox = inbox.then(async () => {
        const decoded = await openAndDecode(opener, payload);
        if (decoded.ok) store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
      });
    });
    const { url, token } = await survivor.joinToken({ space, beingId: '@ada', name: 'Ada' });
    await room.connect(url, token, { autoSubscribe: true, dynacast: false });
    rooms.push(room);
    const snapshot = await survivor.snapshot(space);
    await opener.setKeys(snapshot.keys);
    store.load(snapshot);
    return store;
  }

  /** Starts the doomed app; resolves once its events are committed and its broadcaster holds the lease. */
  async function doomedAppHoldingLease(space: string, count: number): Promise<ChildProcess> {
    const { port } = stalled.address() as { port: number };
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', DOOMED_APP, db.url ?? '', `http://127.0.0.1:${port}`, space, String(count)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('committed') && resolve());
      child.once('exit', (code) => reject(new Error(`the doomed app exited early (${code})`)));
    });
    await expect
      .poll(
        async () =>
          (
            await db.query<{ owner: string | null }>(
              'select lease_owner as owner from sync_cursors where space_id = $1',
              [space],
            )
          )[0]?.owner,
        { timeout: 60_000, interval: 20 },
      )
      .toBe('doomed');
    return child;
  }

  it("its spaces' pending events reach clients on the short lease, not the old 15 s one", async () => {
    const store = await joinAsClient('@takeover');
    const child = await doomedAppHoldingLease('@takeover', 3);

    // What the survivor needs to deliver a write on this machine (it is loaded in CI): the bound sits on top.
    const writeStarted = performance.now();
    const committed = await db.db.transaction((tx) => appendSyncEvents(tx, [posted('@other', 'x1')]));
    survivor.notify(['@other'], committed);
    await expect
      .poll(
        async () =>
          Number(
            (
              await db.query<{ sent: number }>(
                `select sent_seq as sent from sync_cursors where space_id = '@other'`,
              )
            )[0]?.sent,
          ),
        { timeout: 60_000, interval: 20 },
      )
      .toBe(1);
    const deliveryMs = performance.now() - writeStarted;

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const died = performance.now();
    await expect.poll(() => store.position.seq, { timeout: 60_000, interval: 10 }).toBe(3);
    const takeoverMs = performance.now() - died;
    console.info(
      `takeover after an app process kill -9: pending events reached the client ${Math.round(takeoverMs)} ms later (a write takes ${Math.round(deliveryMs)} ms to send here)`,
    );
    expect(store.state().intentions.map((row) => row.content)).toEqual([
      'pending 1',
      'pending 2',
      'pending 3',
    ]);
    expect(takeoverMs).toBeLessThan(TAKEOVER_BOUND_MS + deliveryMs);
  }, 120_000);
});
