/**
 * Write → event applied in every client, for 1, 10 and 50 clients in one space, with where the time goes.
 *
 * New design (what rhizom runs): the app's domain commits the write and its sync event in one
 * transaction; the outbox broadcaster sends it over LiveKit data (our SFU) to every client, whose store
 * applies it in seq order. One run shows the breakdown per event: the write call; commit → SendData
 * handed to the HTTP client; the SendData round trip; SFU in → client out; the client's verify, decrypt,
 * decode and apply. Every packet is signed and sealed (protocol v2): the table also gives the server's
 * sign+seal time per packet (paid once, whatever the number of clients) and a client's verify+open time.
 * The floor: a plain `ws` broadcast of the same payload to as many clients, in the same process.
 * Old design (PGlite only, same clients and SFU): the server sends an id-only ping and every client
 * refetches the space's recent history (100 intentions) before it can show the write.
 * Before the runs: SendData to an empty room against the same POST to a bare Node HTTP server.
 *
 *
 * Sealing's cost, fairly: all clients share this one process, so with 50 clients every packet's 50
 * verify+decrypt calls queue on one libuv pool on 2 cores, which 50 browsers, each on its own device, do not
 * share. So each client count runs three times on the same clients, SFU and database: "each" (every client
 * verifies and opens every packet, queued in this process), "once" (each packet is verified and opened by
 * the first client to get it and the others reuse that result: one open on every packet's path, as when
 * each browser opens on its own CPU) and "unsealed" (the broadcaster sends plaintext and clients only
 * decode: the baseline without sealing). Even "once" queues each packet's one open behind 50 clients'
 * deliveries on this process's event loop, which a browser tab does not share: so one more client runs in
 * a process of its own (`sync-probe.ts`, as a tab on its own device) and opens every packet itself. How
 * far sealing moves the p50 is that client's sealed (once runs) − unsealed commit → applied. The table
 * also gives the uncontended verify+open cost of one packet (what one browser pays), measured serially on
 * a captured packet.
 *
 * Runs on PGlite, and on a throwaway PostgreSQL database too when DATABASE_URL is set.
 * Options by env: BENCH_CLIENTS ("1,10,50"), BENCH_WRITES (40), BENCH_WRITE_MS (50), BENCH_HISTORY (100),
 * BENCH_ROUND_TRIPS (300), BENCH_DATABASES ("pglite,postgres"), BENCH_SEALING_ROUNDS (3), BENCH_SFU
 * ("process": the SFU in a process of its own, as LiveKit runs apart from the app). BENCH_QUICK=1
 * changes the defaults to a smoke run of well under a minute (1 and 10 clients, 10 writes, 20 messages of
 * history, 30 round trips, 1 sealing round, PGlite); an explicit variable still wins.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Room, RoomEvent } from '@livekit/rtc-node';
import { decodePacket, isSkipped, PacketOpener, SYNC_TOPIC } from '@rhizom/sync';
import { openAndDecode, SpaceStore } from '@rhizom/sync/client';
import { throwawayDatabase } from '@rhizom/testing/postgres';
import type { Runtime } from '@rhizom/web/runtime';
import { DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import pino from 'pino';
import WebSocket from 'ws';
import { type AppStack, startAppStack } from './app-stack.ts';
import { keepAlivePoster } from './http-post.ts';
import { describeRoundTrips, measureRoundTrips } from './send-data-round-trip.ts';
import { recordSendData } from './send-data-timeline.ts';
import { percentile } from './stats.ts';
import { startWsBroadcast } from './ws-broadcast.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? (QUICK ? '1,10' : '1,10,50'))
  .split(',')
  .map(Number)
  .filter((count) => count > 0);
const WRITES = Number(process.env.BENCH_WRITES ?? (QUICK ? 10 : 40));
const WRITE_MS = Number(process.env.BENCH_WRITE_MS ?? 50);
const HISTORY = Number(process.env.BENCH_HISTORY ?? (QUICK ? 20 : 100));
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? (QUICK ? 30 : 300));
/**
 * Sealed (once) and unsealed runs alternate this many times each and their events are pooled, so a drift
 * of the machine during the runs falls on both sides of the comparison alike.
 */
const SEALING_ROUNDS = Number(process.env.BENCH_SEALING_ROUNDS ?? (QUICK ? 1 : 3));
/** Serial opens of one captured packet for the uncontended verify+open figure. */
const OPEN_SAMPLES = QUICK ? 50 : 500;
const DATABASES = (process.env.BENCH_DATABASES ?? (QUICK ? 'pglite' : 'pglite,postgres'))
  .split(',')
  .filter(
    (kind): kind is 'pglite' | 'postgres' =>
      kind === 'pglite' || (kind === 'postgres' && !!process.env.DATABASE_URL),
  );
/** BENCH_SFU=process runs the SFU in a process of its own: no per-hop figures (its HTTP server is not here). */
const SFU_PROCESS = process.env.BENCH_SFU === 'process';
const PING_TOPIC = 'ping';
const BARE_HTTP = 'bare POST, node:http keep-alive → bare Node server';

const log = pino({ level: 'warn' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const p50p99 = (values: number[]) => `${f(percentile(values, 50))} / ${f(percentile(values, 99))}`;

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
  opener: PacketOpener;
  /** Packets are opened in arrival order, one after another, as the app's client does. */
  inbox: Promise<void>;
  /** intention id → when this client received the packet carrying it, and when it had applied it. */
  received: Map<string, number>;
  seen: Map<string, number>;
  /** intention id → the index of the sync packet that carried it, in this client's arrival order. */
  packetOf: Map<string, number>;
  packets: number;
  /** Old design: the client's copy of the space, replaced on every refetch. */
  legacy: { fetching: boolean; again: boolean };
}

/**
 * How a run seals and opens packets: `each` verifies and opens every packet in every client (what browsers
 * do, here queued on one process's pool); `once` opens each packet in the first client that gets it and
 * hands the others the same result (one open on each packet's path, as when every browser opens on its own
 * device); `plain` sends packets unsigned and unsealed and clients only decode (the baseline without sealing).
 */
type OpenMode = 'each' | 'once' | 'plain';

/** While set, the broadcaster sends plaintext (`plaintextWhile`): the `plain` runs. */
const sealing = { off: false };

interface Breakdown {
  write: number[];
  commitToHanded: number[];
  roundTrip: number[];
  sfuToClient: number[];
  decodeApply: number[];
  /** Per packet and client: verify the signature and decrypt, in ms. */
  open: number[];
  /** Per packet, on the server, once: sign and seal, in ms. */
  seal: number;
  commitToApplied: number[];
  writeToApplied: number[];
  lastClient: number[];
  /** Commit → applied at the client in its own process (`sync-probe.ts`), per event. */
  probe: number[];
  statementsPerEvent: number;
  complete: boolean;
  /** As many SendData calls as packets arrived, so the n-th call is the n-th packet's. */
  matched: boolean;
}

async function main() {
  const roundTripRows: string[] = [];
  const rows: string[] = [];
  const oldRows: string[] = [];
  for (const kind of DATABASES) {
    // PGlite in memory, or a throwaway database on the DATABASE_URL server.
    const database =
      kind === 'postgres' ? await throwawayDatabase(process.env.DATABASE_URL ?? '') : undefined;
    const stack = await startAppStack({
      logger: log,
      databaseUrl: database?.url,
      syncBroadcast: { plaintextWhile: () => sealing.off },
      sfuProcess: SFU_PROCESS,
    });
    try {
      if (roundTripRows.length === 0) {
        const sample = new TextEncoder().encode(JSON.stringify({ text: 'lorem ipsum '.repeat(40) }));
        const times = await measureRoundTrips(stack.livekit, sample, ROUND_TRIPS);
        roundTripRows.push(...describeRoundTrips(times, BARE_HTTP));
        console.log(roundTripRows.join('\n'));
      }
      for (const count of CLIENT_COUNTS) {
        const result = await measureClients(stack, kind, count);
        rows.push(result.row);
        if (result.oldRow) oldRows.push(result.oldRow);
        console.log(result.row);
      }
    } finally {
      await stack.close();
      await database?.drop();
    }
  }

  const [one, five, fifteen] = loadavg();
  console.log(
    `\nbench:sync — ${WRITES} writes every ${WRITE_MS} ms per run, ${HISTORY} messages of history, embedded SFU, ` +
      `everything in one process; load average ${f(one ?? 0, 2)} / ${f(five ?? 0, 2)} / ${f(fifteen ?? 0, 2)}`,
  );
  console.log(`\nSendData round trip to an empty room (${ROUND_TRIPS} calls each, alternating), ms:`);
  console.log('| client → server | p50 | p99 | p50 / bare node:http |\n|---|---|---|---|');
  console.log(roundTripRows.join('\n'));
  console.log(
    '\nper event, ms, p50 / p99 (client columns over event × client); floor = plain ws broadcast of the same payload to as many clients',
  );
  console.log(
    '| db | clients | write call | commit → handed to LiveKit | SendData round trip | SFU in → client out | verify + open + decode + apply | commit → applied | write → applied | last client | ws floor | commit→applied / floor (p50) | DB stmts/event | sign+seal µs/packet (server, once) | verify+open µs/packet (client, in this process) p50/p99 | verify+open µs/packet uncontended p50/p99 | commit → applied p50, in this process: each / once / unsealed | client in its own process: commit → applied, sealed | the same, unsealed (baseline) | sealing moves its p50 by |',
  );
  console.log(`|${'---|'.repeat(20)}`);
  for (const row of rows) console.log(row);
  console.log('\nold design (ping + refetch), PGlite, write → applied, ms');
  console.log(
    '| clients | old p50 / p99 | old last client p50 / p99 | old DB stmts/event |\n|---|---|---|---|',
  );
  for (const row of oldRows) console.log(row);
}

async function measureClients(
  stack: AppStack,
  kind: 'pglite' | 'postgres',
  count: number,
): Promise<{ row: string; oldRow?: string }> {
  const { runtime, actor } = stack;
  const { domain } = runtime;
  const statements = kind === 'pglite' ? countStatements(runtime) : null;
  const roomService = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
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

  let lastPayload: Uint8Array = new Uint8Array();
  /** verify + decrypt + decode per packet and client, ms (the `open` column). */
  const opened: number[] = [];
  let mode: OpenMode = 'each';
  /** `once` mode: a packet's open, by its signature (the last 64 bytes, unique per packet). */
  const openedOnce = new Map<string, ReturnType<typeof openAndDecode>>();
  const openPacket = (client: Client, payload: Uint8Array) => {
    if (mode === 'plain') return Promise.resolve(decodePacket(payload));
    if (mode === 'each') return openAndDecode(client.opener, payload);
    const id = Buffer.from(payload.subarray(payload.length - 64)).toString('hex');
    let opening = openedOnce.get(id);
    if (!opening) {
      opening = openAndDecode(client.opener, payload);
      openedOnce.set(id, opening);
    }
    return opening;
  };
  const clients: Client[] = [];
  for (let c = 0; c < count; c++) {
    const client: Client = {
      room: new Room(),
      store: new SpaceStore(space.id),
      opener: new PacketOpener(space.id),
      inbox: Promise.resolve(),
      received: new Map(),
      seen: new Map(),
      packetOf: new Map(),
      packets: 0,
      legacy: { fetching: false, again: false },
    };
    client.room.on(RoomEvent.DataReceived, (payload, participant, _kind, topic) => {
      const receivedAt = performance.now();
      if (participant) return;
      if (topic === PING_TOPIC) {
        void refetch(client);
        return;
      }
      if (topic !== SYNC_TOPIC) return;
      client.inbox = client.inbox.then(async () => {
        const opening = performance.now();
        const decoded = await openPacket(client, payload);
        opened.push(performance.now() - opening);
        if (!decoded.ok) return;
        client.store.receive(decoded.packet.epoch, decoded.packet.events, decoded.packet.refs);
        const now = performance.now();
        // A sealed packet: what the floor sends and the uncontended open measures.
        if (mode !== 'plain') lastPayload = payload;
        for (const event of decoded.packet.events) {
          if (!isSkipped(event) && event.type === 'intention.upsert' && !client.seen.has(event.entity.id)) {
            client.seen.set(event.entity.id, now);
            client.received.set(event.entity.id, receivedAt);
            client.packetOf.set(event.entity.id, client.packets);
          }
        }
        client.packets++;
      });
    });
    const join = await runtime.sync.joinToken({
      space: space.id,
      beingId: `@watcher-${c}`,
      name: `watcher ${c}`,
    });
    await client.room.connect(join.url, join.token, { autoSubscribe: true, dynacast: false });
    const snapshot = await runtime.sync.snapshot(space.id);
    await client.opener.setKeys(snapshot.keys);
    client.store.load(snapshot);
    clients.push(client);
  }
  const probe = await startProbe();
  const probeJoin = await runtime.sync.joinToken({ space: space.id, beingId: '@probe', name: 'probe' });
  await probe.join(probeJoin.url, probeJoin.token, await runtime.sync.snapshot(space.id));
  await sleep(300);

  const timeline = recordSendData();
  const runNew = async (openMode: OpenMode): Promise<Breakdown> => {
    mode = openMode;
    sealing.off = openMode === 'plain';
    await probe.setSealed(!sealing.off);
    openedOnce.clear();
    for (const client of clients) {
      client.seen.clear();
      client.received.clear();
      client.packetOf.clear();
      client.packets = 0;
    }
    const calls: { id: string; started: number; committed: number; returned: number }[] = [];
    let committedAt = 0;
    // The broadcaster hears each commit through notify: that moment is the commit time.
    const notify = runtime.sync.notify;
    runtime.sync.notify = (spaces) => {
      committedAt = performance.now();
      notify(spaces);
    };
    const before = statements?.read() ?? 0;
    const sealBefore = { ...runtime.sync.broadcaster?.stats };
    opened.length = 0;
    timeline.reset();
    for (let i = 0; i < WRITES; i++) {
      const started = performance.now();
      const saved = await domain.intentions.createUtterance(actor, {
        spaceId: space.id,
        content: `new ${i}`,
      });
      calls.push({ id: saved.id, started, committed: committedAt, returned: performance.now() });
      await sleep(Math.max(0, WRITE_MS - (performance.now() - started)));
    }
    const complete = await allApplied(
      clients,
      calls.map((call) => call.id),
    );
    const used = (statements?.read() ?? Number.NaN) - before;
    runtime.sync.notify = notify;
    sealing.off = false;
    const sealAfter = runtime.sync.broadcaster?.stats;
    const sealedPackets = (sealAfter?.packets ?? 0) - (sealBefore.packets ?? 0);
    const sealMs = ((sealAfter?.sealMs ?? 0) - (sealBefore.sealMs ?? 0)) / Math.max(1, sealedPackets);
    // One SendData per packet, delivered in order: the n-th packet a client got is the n-th call.
    const sendCalls = clients[0]?.packets ?? 0;
    const matched = [timeline.handed, timeline.arrived, timeline.answered].every(
      (list) => list.length === sendCalls,
    );
    const at = (list: number[], index: number | undefined) =>
      matched && index !== undefined ? (list[index] ?? Number.NaN) : Number.NaN;
    const breakdown: Breakdown = {
      write: [],
      commitToHanded: [],
      roundTrip: [],
      sfuToClient: [],
      decodeApply: [],
      open: [...opened],
      seal: sealMs,
      commitToApplied: [],
      writeToApplied: [],
      lastClient: [],
      statementsPerEvent: used / WRITES,
      complete,
      matched,
      probe: [],
    };
    const probed = await probe.applied(calls.map((call) => call.id));
    for (const call of calls) {
      breakdown.probe.push((probed.get(call.id) ?? Number.NaN) - (performance.timeOrigin + call.committed));
    }
    for (const call of calls) {
      const index = clients[0]?.packetOf.get(call.id);
      breakdown.write.push(call.returned - call.started);
      breakdown.commitToHanded.push(at(timeline.handed, index) - call.committed);
      breakdown.roundTrip.push(at(timeline.answered, index) - at(timeline.handed, index));
      let last = 0;
      for (const client of clients) {
        const received = client.received.get(call.id) ?? Number.NaN;
        const applied = client.seen.get(call.id) ?? Number.NaN;
        breakdown.sfuToClient.push(received - at(timeline.arrived, index));
        breakdown.decodeApply.push(applied - received);
        breakdown.commitToApplied.push(applied - call.committed);
        breakdown.writeToApplied.push(applied - call.started);
        last = Math.max(last, applied - call.committed);
      }
      breakdown.lastClient.push(last);
    }
    return breakdown;
  };

  const runOld = async () => {
    for (const client of clients) client.seen.clear();
    const writtenAt = new Map<string, number>();
    const before = statements?.read() ?? 0;
    const broadcastBefore = runtime.sync.broadcaster?.stats.dbQueries ?? 0;
    for (let i = 0; i < WRITES; i++) {
      const started = performance.now();
      const saved = await domain.intentions.createUtterance(actor, {
        spaceId: space.id,
        content: `old ${i}`,
      });
      writtenAt.set(saved.id, started);
      // The old server's ping: the id only, to everyone; the sync broadcast still runs but clients ignore it.
      await roomService.sendData(
        space.id,
        new TextEncoder().encode(JSON.stringify({ id: saved.id })),
        DataPacket_Kind.RELIABLE,
        { topic: PING_TOPIC },
      );
      await sleep(Math.max(0, WRITE_MS - (performance.now() - started)));
    }
    const complete = await allApplied(clients, [...writtenAt.keys()]);
    // The broadcaster keeps running during the old design's run; its statements are not the old design's.
    const broadcast = (runtime.sync.broadcaster?.stats.dbQueries ?? 0) - broadcastBefore;
    const used = (statements?.read() ?? Number.NaN) - before - broadcast;
    const perClient: number[] = [];
    const lastClient: number[] = [];
    for (const [id, at] of writtenAt) {
      const times = clients.map((client) => (client.seen.get(id) ?? Number.NaN) - at);
      perClient.push(...times);
      lastClient.push(Math.max(...times));
    }
    return `| ${count} | ${p50p99(perClient)} | ${p50p99(lastClient)} | ${f(used / WRITES)} |${complete ? '' : ' incomplete'}`;
  };

  const fresh = await runNew('each');
  const onceRuns: Breakdown[] = [];
  const plainRuns: Breakdown[] = [];
  for (let round = 0; round < SEALING_ROUNDS; round++) {
    onceRuns.push(await runNew('once'));
    plainRuns.push(await runNew('plain'));
  }
  const pooled = (runs: Breakdown[]) => ({
    commitToApplied: runs.flatMap((run) => run.commitToApplied),
    probe: runs.flatMap((run) => run.probe),
    complete: runs.every((run) => run.complete),
  });
  const once = pooled(onceRuns);
  const plain = pooled(plainRuns);
  timeline.close();
  const floor = await wsFloor(count, lastPayload);
  // The old design's pings go through the SDK's fetch, which a loaded machine can reset: keep the new row.
  const oldRow =
    kind === 'pglite'
      ? await runOld().catch((error: unknown) => `| ${count} | old design run failed: ${String(error)} |`)
      : undefined;
  for (const client of clients) await client.room.disconnect();
  await probe.close();
  // After the clients left, with nothing else running in this process.
  const uncontended = await openSerially(lastPayload, await runtime.sync.snapshot(space.id));

  const notes = [
    fresh.complete && once.complete && plain.complete ? '' : 'incomplete',
    SFU_PROCESS
      ? 'SFU in its own process: no per-hop figures'
      : fresh.matched
        ? ''
        : 'SendData calls ≠ packets received (a retry?): no per-hop figures',
  ].filter(Boolean);
  const ratio = percentile(fresh.commitToApplied, 50) / percentile(floor, 50);
  const row =
    `| ${kind} | ${count} | ${p50p99(fresh.write)} | ${p50p99(fresh.commitToHanded)} | ${p50p99(fresh.roundTrip)} | ` +
    `${p50p99(fresh.sfuToClient)} | ${p50p99(fresh.decodeApply)} | ${p50p99(fresh.commitToApplied)} | ` +
    `${p50p99(fresh.writeToApplied)} | ${p50p99(fresh.lastClient)} | ${p50p99(floor)} | ${f(ratio)}× | ` +
    `${f(fresh.statementsPerEvent)} | ${f(fresh.seal * 1000)} | ${f(percentile(fresh.open, 50) * 1000)} / ${f(percentile(fresh.open, 99) * 1000)} | ` +
    `${f(percentile(uncontended, 50) * 1000)} / ${f(percentile(uncontended, 99) * 1000)} | ` +
    `${[fresh, once, plain].map((run) => f(percentile(run.commitToApplied, 50))).join(' / ')} | ` +
    `${p50p99(once.probe)} | ${p50p99(plain.probe)} | ${f(percentile(once.probe, 50) - percentile(plain.probe, 50), 2)} |${notes.length > 0 ? ` ${notes.join('; ')}` : ''}`;
  return { row, oldRow };
}

/**
 * Verify + decrypt + decode of one real packet, one after another with nothing else queued: what one
 * client (a browser tab) pays per packet, ms. A fresh opener with the space's current keys, imported once.
 */
async function openSerially(
  payload: Uint8Array,
  snapshot: { space: string; keys: Parameters<PacketOpener['setKeys']>[0] },
): Promise<number[]> {
  const opener = new PacketOpener(snapshot.space);
  await opener.setKeys(snapshot.keys);
  const times: number[] = [];
  for (let i = 0; i < OPEN_SAMPLES; i++) {
    const started = performance.now();
    const result = await openAndDecode(opener, payload);
    times.push(performance.now() - started);
    if (!result.ok) throw new Error(`the captured packet did not open: ${result.error}`);
  }
  return times;
}

/** The client in its own process (`sync-probe.ts`), driven over IPC. */
async function startProbe() {
  const child = fork(new URL('./sync-probe.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string }) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as T);
      };
      const onExit = (code: number | null) => reject(new Error(`the probe client exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = <T>(command: object, answer: string) => {
    const reply = next<T>(answer);
    child.send(command);
    return reply;
  };
  await next('ready');
  return {
    join: (url: string, token: string, snapshot: unknown) =>
      ask({ type: 'join', url, token, snapshot }, 'joined'),
    setSealed: (sealed: boolean) => ask({ type: 'mode', sealed }, 'mode'),
    /** When the probe applied each of `ids` (machine-wide clock), waiting up to 10 s for the last. */
    async applied(ids: string[]): Promise<Map<string, number>> {
      const seen = new Map<string, number>();
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        const { applied } = await ask<{ applied: [string, number][] }>({ type: 'report' }, 'report');
        for (const [id, at] of applied) seen.set(id, at);
        if (ids.every((id) => seen.has(id))) break;
        await sleep(50);
      }
      return seen;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}

async function allApplied(clients: Client[], ids: string[]): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  const complete = () => clients.every((client) => ids.every((id) => client.seen.has(id)));
  while (!complete() && Date.now() < deadline) await sleep(20);
  await sleep(200);
  return complete();
}

/** POST of the payload (node:http keep-alive) → each of `count` ws clients has it, ms, over message × client. */
async function wsFloor(count: number, payload: Uint8Array): Promise<number[]> {
  const server = await startWsBroadcast();
  const sender = keepAlivePoster(`${server.url.replace(/^ws/, 'http')}/send`);
  let sentAt = 0;
  const latencies: number[] = [];
  const sockets = await Promise.all(
    Array.from({ length: count }, async () => {
      const ws = new WebSocket(server.url);
      ws.on('message', () => latencies.push(performance.now() - sentAt));
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      return ws;
    }),
  );
  for (let i = 0; i < WRITES + 5; i++) {
    // The first five warm up the connection; their deliveries are dropped.
    if (i === 5) latencies.length = 0;
    const started = performance.now();
    sentAt = started;
    await sender.post(payload);
    while (latencies.length < (i < 5 ? 0 : (i - 4) * count) && performance.now() - started < 5_000)
      await sleep(1);
    await sleep(Math.max(0, WRITE_MS - (performance.now() - started)));
  }
  sender.close();
  for (const ws of sockets) ws.terminate();
  await server.close();
  return latencies;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
