/**
 * Write → event applied in every client, for 1, 10 and 50 clients in one space.
 *
 * New design (what rhizom runs): the app's domain commits the write and its sync event in one
 * transaction; the outbox broadcaster sends it over LiveKit data (our SFU) to every client, whose store
 * applies it in seq order. Old design, same run, same clients, same SFU: the server sends an id-only ping
 * and every client refetches the space's recent history (100 intentions) before it can show the write.
 *
 * Figures per client count: latency write → applied (p50/p99 over every event × client, and until the
 * last client has it), and database statements per event (the write itself included), as a ratio.
 * Options by env: BENCH_CLIENTS ("1,10,50"), BENCH_WRITES (40), BENCH_WRITE_MS (50), BENCH_HISTORY (100).
 */
import { Room, RoomEvent } from '@livekit/rtc-node';
import { decodePacket, isSkipped, SYNC_TOPIC } from '@rhizom/sync';
import { SpaceStore } from '@rhizom/sync/client';
import { DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import pino from 'pino';
import type { Runtime } from '../apps/web/src/server/runtime.ts';
import { startAppStack } from './app-stack.ts';
import { percentile } from './stats.ts';

const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '1,10,50').split(',').map(Number);
const WRITES = Number(process.env.BENCH_WRITES ?? 40);
const WRITE_MS = Number(process.env.BENCH_WRITE_MS ?? 50);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 100);
const PING_TOPIC = 'ping';

const log = pino({ level: 'warn' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts every statement the app's database runs (PGlite: `query`, `exec`, and those in transactions). */
function countStatements(runtime: Runtime): { read(): number } {
  const client = (runtime.db as unknown as { $client: Record<string, unknown> }).$client;
  let count = 0;
  const wrap = (target: Record<string, unknown>, name: string) => {
    const original = target[name] as (...args: unknown[]) => unknown;
    target[name] = (...args: unknown[]) => {
      count++;
      return original.apply(target, args);
    };
  };
  wrap(client, 'query');
  wrap(client, 'exec');
  const transaction = client.transaction as (fn: (tx: Record<string, unknown>) => unknown) => unknown;
  client.transaction = (fn: (tx: Record<string, unknown>) => unknown) =>
    transaction.call(client, (tx: Record<string, unknown>) => {
      wrap(tx, 'query');
      wrap(tx, 'exec');
      return fn(tx);
    });
  return { read: () => count };
}

interface Client {
  room: Room;
  store: SpaceStore;
  /** intention id → when this client first showed it. */
  seen: Map<string, number>;
  /** Old design: the client's copy of the space, replaced on every refetch. */
  legacy: { fetching: boolean; again: boolean };
}

async function main() {
  const stack = await startAppStack({ logger: log });
  const { runtime, actor } = stack;
  const statements = countStatements(runtime);
  const { domain } = runtime;
  const roomService = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);

  const rows: string[] = [];
  for (const count of CLIENT_COUNTS) {
    const space = await domain.beings.create(actor, { name: `Bench ${count}`, type: 'space' });
    for (let i = 0; i < HISTORY; i++) {
      await domain.intentions.createUtterance(actor, {
        spaceId: space.id,
        content: `History ${i}: ${'lorem ipsum '.repeat(10)}`,
      });
    }
    await sleep(200);

    // Old design's refetch: the page's query for the space's recent messages, as every client ran it.
    const refetch = async (client: Client) => {
      if (client.legacy.fetching) {
        client.legacy.again = true;
        return;
      }
      client.legacy.fetching = true;
      do {
        client.legacy.again = false;
        const page = await domain.intentions.list(actor, { spaceId: space.id, limit: 100 });
        const now = performance.now();
        for (const row of page.items) if (!client.seen.has(row.id)) client.seen.set(row.id, now);
      } while (client.legacy.again);
      client.legacy.fetching = false;
    };

    const clients: Client[] = [];
    for (let c = 0; c < count; c++) {
      const client: Client = {
        room: new Room(),
        store: new SpaceStore(space.id),
        seen: new Map(),
        legacy: { fetching: false, again: false },
      };
      client.room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
        if (participant) return;
        if (topic === PING_TOPIC) {
          void refetch(client);
          return;
        }
        if (topic !== SYNC_TOPIC) return;
        const decoded = decodePacket(payload);
        if (!decoded.ok) return;
        client.store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
        const now = performance.now();
        for (const event of decoded.packet.events) {
          if (!isSkipped(event) && event.type === 'intention.upsert' && !client.seen.has(event.entity.id))
            client.seen.set(event.entity.id, now);
        }
      });
      const join = await runtime.sync.joinToken({
        space: space.id,
        beingId: `@watcher-${c}`,
        name: `watcher ${c}`,
      });
      await client.room.connect(join.url, join.token, { autoSubscribe: true, dynacast: false });
      client.store.load(await runtime.sync.snapshot(space.id));
      clients.push(client);
    }
    await sleep(300);

    const run = async (design: 'new' | 'old') => {
      for (const client of clients) client.seen.clear();
      const writtenAt = new Map<string, number>();
      const before = statements.read();
      const broadcastBefore = runtime.sync.broadcaster?.stats.dbQueries ?? 0;
      for (let i = 0; i < WRITES; i++) {
        const started = performance.now();
        const saved = await domain.intentions.createUtterance(actor, {
          spaceId: space.id,
          content: `${design} ${i}`,
        });
        writtenAt.set(saved.id, started);
        if (design === 'old') {
          // The old server's ping: the id only, to everyone; the sync broadcast still runs but clients ignore it.
          await roomService.sendData(
            space.id,
            new TextEncoder().encode(JSON.stringify({ id: saved.id })),
            DataPacket_Kind.RELIABLE,
            { topic: PING_TOPIC },
          );
        }
        await sleep(Math.max(0, WRITE_MS - (performance.now() - started)));
      }
      const deadline = Date.now() + 60_000;
      const complete = () =>
        clients.every((client) => [...writtenAt.keys()].every((id) => client.seen.has(id)));
      while (!complete() && Date.now() < deadline) await sleep(20);
      await sleep(200);
      // The broadcaster keeps running during the old design's run; its statements are not the old design's.
      const broadcast = (runtime.sync.broadcaster?.stats.dbQueries ?? 0) - broadcastBefore;
      const used = statements.read() - before - (design === 'old' ? broadcast : 0);
      const perClient: number[] = [];
      const allClients: number[] = [];
      for (const [id, at] of writtenAt) {
        const times = clients.map((client) => (client.seen.get(id) ?? Number.NaN) - at);
        perClient.push(...times);
        allClients.push(Math.max(...times));
      }
      return {
        p50: percentile(perClient, 50),
        p99: percentile(perClient, 99),
        allP50: percentile(allClients, 50),
        allP99: percentile(allClients, 99),
        statementsPerEvent: used / WRITES,
        complete: complete(),
      };
    };

    const fresh = await run('new');
    const old = await run('old');
    const f = (value: number) => value.toFixed(1);
    rows.push(
      `| ${count} | ${f(fresh.p50)} / ${f(fresh.p99)} | ${f(fresh.allP50)} / ${f(fresh.allP99)} | ${f(fresh.statementsPerEvent)} | ` +
        `${f(old.p50)} / ${f(old.p99)} | ${f(old.allP50)} / ${f(old.allP99)} | ${f(old.statementsPerEvent)} | ` +
        `${f(old.p99 / fresh.p99)}× | ${f(old.statementsPerEvent / fresh.statementsPerEvent)}× |`,
    );
    if (!fresh.complete || !old.complete)
      rows.push(`| ${count} | incomplete: new ${fresh.complete}, old ${old.complete} |`);
    console.log(rows[rows.length - 1]);
    for (const client of clients) await client.room.disconnect();
  }

  console.log(
    `\nsync bench: ${WRITES} writes every ${WRITE_MS} ms per run, ${HISTORY} messages of history, PGlite, embedded SFU`,
  );
  console.log(
    'latency in ms, write call → event applied (p50 / p99 over event × client; "last" = until every client has it)',
  );
  console.log(
    '| clients | new p50/p99 | new last p50/p99 | new DB stmts/event | old p50/p99 | old last p50/p99 | old DB stmts/event | old/new p99 | old/new DB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  await stack.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
