/**
 * Write → event applied in every client, for 1, 10 and 50 clients in one space, with where the time goes.
 *
 * New design (what rhizom runs): the app's domain commits the write and its sync event in one
 * transaction; the outbox broadcaster signs and seals it (protocol v2) and sends it over LiveKit data (our
 * SFU) to every client, which verifies, decrypts, decodes and applies it in seq order. This process holds
 * what a deployment's server holds: the app, its database (PGlite, or PostgreSQL) and, by default, the SFU.
 * The clients do not live here: in production each is a browser on its own device, and the app's event loop
 * never queues behind their deliveries. They run in client processes (`sync-clients.ts`, the N clients
 * spread over BENCH_CLIENT_PROCESSES of them), plus one more client alone in a process of its own, the
 * probe (as a tab on its own device, not sharing a CPU queue with other clients), which verifies and opens
 * every packet itself. On this 2-core machine every process still shares the cores with the app, which
 * devices do not: so by default each packet is opened once per client process and shared by its clients
 * (BENCH_CLIENT_OPENS=each: every client opens every packet, 50 verifications per packet on these cores).
 * Every client still receives every packet over WebRTC: the SFU's fan-out is the server's real work.
 * And the cores are split (`cpu-plan.ts`): the server side and the probe keep half of them, the probe at a
 * higher priority, and the other clients get the other half (BENCH_PIN=0: no split).
 *
 * One run shows the breakdown per event: the write call; commit → SendData handed to the HTTP client; the
 * SendData round trip; SFU in → client out; the client's verify, decrypt, decode and apply. Sealing's cost:
 * sealed and unsealed runs (the broadcaster sends plaintext, `plaintextWhile`, and clients only decode)
 * alternate BENCH_SEALING_ROUNDS times on the same stack and clients, pooled, so a drift of the machine
 * falls on both sides; how far sealing moves the p50 is the probe's sealed − unsealed commit → applied, and
 * a second table splits that difference into the probe's hops. The table also gives the server's sign+seal
 * time per packet (paid once, whatever the number of clients), the probe's verify+open per packet, and the
 * uncontended verify+open of one packet (what one browser pays), measured serially on a captured packet.
 * The floor: a plain `ws` broadcast of the same payload to as many clients, in this process.
 * Old design (PGlite only, same clients and SFU): the server sends an id-only ping and every client
 * refetches the space's recent history (100 intentions, asked of this process over IPC) before it can
 * show the write.
 * Before the runs: SendData to an empty room against the same POST to a bare Node HTTP server.
 *
 * Runs on PGlite, and on a throwaway PostgreSQL database too when DATABASE_URL is set.
 * Options by env: BENCH_CLIENTS ("1,10,50"), BENCH_CLIENT_PROCESSES (2), BENCH_CLIENT_OPENS ("once"),
 * BENCH_PIN (1), BENCH_WRITES (40), BENCH_WRITE_MS (50), BENCH_HISTORY (100), BENCH_ROUND_TRIPS (300),
 * BENCH_DATABASES ("pglite,postgres"), BENCH_SEALING_ROUNDS (3), BENCH_SFU ("process": the SFU in a
 * process of its own, as LiveKit runs apart from the app). BENCH_QUICK=1 changes the defaults to a smoke
 * run of well under a minute (1 and 10 clients, 10 writes, 20 messages of history, 30 round trips, 1
 * sealing round, PGlite); an explicit variable still wins.
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Keyed, PacketOpener, type SpaceSnapshot } from '@rhizom/sync';
import { openAndDecode } from '@rhizom/sync/client';
import { throwawayDatabase } from '@rhizom/testing/postgres';
import type { Runtime } from '@rhizom/web/runtime';
import { DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import pino from 'pino';
import WebSocket from 'ws';
import { type AppStack, startAppStack } from './app-stack.ts';
import { cpuPlan, describePlan, pin, prioritize } from './cpu-plan.ts';
import { keepAlivePoster } from './http-post.ts';
import { describeRoundTrips, measureRoundTrips } from './send-data-round-trip.ts';
import { recordSendData } from './send-data-timeline.ts';
import { percentile } from './stats.ts';
import type { Arrival, ClientsCommand, ClientsMessage } from './sync-clients.ts';
import { startWsBroadcast } from './ws-broadcast.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? (QUICK ? '1,10' : '1,10,50'))
  .split(',')
  .map(Number)
  .filter((count) => count > 0);
const CLIENT_PROCESSES = Math.max(1, Number(process.env.BENCH_CLIENT_PROCESSES ?? 2));
/**
 * How the N clients open packets: `once` (default), the first client of a process to get a packet opens it
 * and the others of that process take the result, since in production each client's crypto runs on its own
 * device, not on the cores the app, the SFU and the probe share here; `each`, every client opens every
 * packet itself (50 verifications per packet on this machine: the worst case). The probe always opens
 * every packet itself.
 */
const CLIENT_OPENS = process.env.BENCH_CLIENT_OPENS === 'each' ? 'each' : 'once';
const WRITES = Number(process.env.BENCH_WRITES ?? (QUICK ? 10 : 40));
const WRITE_MS = Number(process.env.BENCH_WRITE_MS ?? 50);
const HISTORY = Number(process.env.BENCH_HISTORY ?? (QUICK ? 20 : 100));
const ROUND_TRIPS = Number(process.env.BENCH_ROUND_TRIPS ?? (QUICK ? 30 : 300));
/** Sealed and unsealed runs alternate this many times each, pooled (see the header). */
const SEALING_ROUNDS = Number(process.env.BENCH_SEALING_ROUNDS ?? (QUICK ? 1 : 3));
/** Serial opens of one captured packet for the uncontended verify+open figure. */
const OPEN_SAMPLES = QUICK ? 50 : 500;
const DATABASES = (process.env.BENCH_DATABASES ?? (QUICK ? 'pglite' : 'pglite,postgres'))
  .split(',')
  .filter(
    (kind): kind is 'pglite' | 'postgres' =>
      kind === 'pglite' || (kind === 'postgres' && !!process.env.DATABASE_URL),
  );
/** BENCH_SFU=process runs the SFU in a process of its own: no per-hop figures at the SFU (its HTTP server is not here). */
const SFU_PROCESS = process.env.BENCH_SFU === 'process';
/** Before anything starts: this process (and so every child it forks) onto the server side's cores. */
const CPUS = cpuPlan();
const PROBE_PRIORITY = CPUS ? -10 : undefined;
const PING_TOPIC = 'ping';
const BARE_HTTP = 'bare POST, node:http keep-alive → bare Node server';

const log = pino({ level: 'warn' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const f = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const p50 = (values: number[]) => percentile(values, 50);
const p50p99 = (values: number[]) => `${f(p50(values))} / ${f(percentile(values, 99))}`;
/** This process's `performance.now()` on the machine-wide clock the client processes report in. */
const machine = (at: number) => performance.timeOrigin + at;

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

/** While set, the broadcaster sends plaintext (`plaintextWhile`): the unsealed runs. */
const sealing = { off: false };

/** Per-event figures of one run, ms; client columns over event × client. */
interface Breakdown {
  write: number[];
  commitToHanded: number[];
  roundTrip: number[];
  sfuToClient: number[];
  openApply: number[];
  /** Per packet, in the probe: verify, decrypt and decode (or only decode, unsealed). */
  open: number[];
  commitToApplied: number[];
  writeToApplied: number[];
  lastClient: number[];
  /** The probe's hops, per event: commit → handed, handed → SFU in, SFU in → received (or handed → received
   * with the SFU elsewhere), received → opened, opened → applied, and commit → applied. */
  probe: Record<ProbeHop, number[]>;
  statementsPerEvent: number;
  /** Server sign+seal per packet, ms (0 unsealed). */
  seal: number;
  complete: boolean;
  /** As many SendData calls as packets arrived, so the n-th call is the n-th packet's. */
  matched: boolean;
}

const PROBE_HOPS = [
  'commit → handed',
  'handed → SFU in',
  'SFU in → received',
  'received → opened',
  'opened → applied',
  'commit → applied',
] as const;
type ProbeHop = (typeof PROBE_HOPS)[number];

async function main() {
  const roundTripRows: string[] = [];
  const rows: string[] = [];
  const hopRows: string[] = [];
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
        hopRows.push(...result.hopRows);
        if (result.oldRow) oldRows.push(result.oldRow);
        console.log(result.row);
        console.log(result.hopRows.join('\n'));
      }
    } finally {
      await stack.close();
      await database?.drop();
    }
  }

  const [one, five, fifteen] = loadavg();
  console.log(
    `\nbench:sync — ${WRITES} writes every ${WRITE_MS} ms per run, ${HISTORY} messages of history, ` +
      `${SFU_PROCESS ? 'SFU in its own process' : 'SFU in the app process'}, clients in ${CLIENT_PROCESSES} client ` +
      `process(es) opening packets ${CLIENT_OPENS} + the probe in its own; ${describePlan(CPUS)}; load average ${f(one ?? 0, 2)} / ${f(five ?? 0, 2)} / ${f(fifteen ?? 0, 2)}`,
  );
  console.log(`\nSendData round trip to an empty room (${ROUND_TRIPS} calls each, alternating), ms:`);
  console.log('| client → server | p50 | p99 | p50 / bare node:http |\n|---|---|---|---|');
  console.log(roundTripRows.join('\n'));
  console.log(
    `\nper event, sealed runs (${SEALING_ROUNDS} pooled), ms, p50 / p99 (client columns over event × client); floor = plain ws broadcast of the same payload to as many clients, in the app process`,
  );
  console.log(
    "| db | clients | write call | commit → handed to LiveKit | SendData round trip | SFU in → client out | verify + open + decode + apply | commit → applied | write → applied | last client | ws floor | commit→applied / floor (p50) | DB stmts/event | sign+seal µs/packet (server, once) | verify+open+decode µs/packet, probe p50/p99 | verify+open+decode µs/packet uncontended p50/p99 | commit → applied p50, all clients: sealed / unsealed | probe: commit → applied, sealed | the same, unsealed | sealing moves the probe's p50 by |",
  );
  console.log(`|${'---|'.repeat(20)}`);
  for (const row of rows) console.log(row);
  console.log("\nwhere sealing's cost goes: the probe's hops, p50 sealed / unsealed (difference), ms");
  console.log(
    `| db | clients | ${PROBE_HOPS.map((hop) => (SFU_PROCESS && hop === 'SFU in → received' ? 'handed → received' : hop)).join(' | ')} | load average (1 min) at start |\n|${'---|'.repeat(PROBE_HOPS.length + 3)}`,
  );
  for (const row of hopRows) console.log(row);
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
): Promise<{ row: string; hopRows: string[]; oldRow?: string }> {
  const { runtime, actor } = stack;
  const { domain } = runtime;
  const [loadAtStart] = loadavg();
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
  const recentIds = async () =>
    (await domain.intentions.list(actor, { spaceId: space.id, limit: 100 })).items.map((row) => row.id);
  const snapshot = await runtime.sync.snapshot(space.id);
  const joinAs = async (name: string) => {
    const join = await runtime.sync.joinToken({ space: space.id, beingId: `@${name}`, name });
    return { url: join.url, token: join.token };
  };
  // Client processes: the probe alone first, then the others spread evenly.
  const probe = await startClients(recentIds, undefined, PROBE_PRIORITY);
  await probe.join([await joinAs('probe')], snapshot, false);
  // Again, now that its WebRTC and crypto threads exist.
  if (PROBE_PRIORITY !== undefined) prioritize(probe.pid, PROBE_PRIORITY);
  const groups = [probe];
  const processes = Math.min(CLIENT_PROCESSES, count);
  for (let g = 0; g < processes; g++) {
    const joins = [];
    for (let c = g; c < count; c += processes) joins.push(await joinAs(`watcher-${c}`));
    const group = await startClients(recentIds, CPUS?.clients);
    await group.join(joins, snapshot, CLIENT_OPENS === 'once');
    groups.push(group);
  }
  await sleep(300);

  const timeline = recordSendData();
  const runNew = async (sealed: boolean): Promise<Breakdown> => {
    sealing.off = !sealed;
    await Promise.all(groups.map((group) => group.setSealed(sealed)));
    const calls: { id: string; started: number; committed: number; returned: number }[] = [];
    let committedAt = 0;
    // The broadcaster hears each commit through notify: that moment is the commit time.
    const notify = runtime.sync.notify;
    runtime.sync.notify = (spaces, committed) => {
      committedAt = performance.now();
      notify(spaces, committed);
    };
    const before = statements?.read() ?? 0;
    const sealBefore = { ...runtime.sync.broadcaster?.stats };
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
    const ids = calls.map((call) => call.id);
    const gathered = await gather(groups, ids);
    const used = (statements?.read() ?? Number.NaN) - before;
    runtime.sync.notify = notify;
    sealing.off = false;
    const sealAfter = runtime.sync.broadcaster?.stats;
    const sealedPackets = (sealAfter?.packets ?? 0) - (sealBefore.packets ?? 0);
    const sealMs = ((sealAfter?.sealMs ?? 0) - (sealBefore.sealMs ?? 0)) / Math.max(1, sealedPackets);
    // One SendData per packet, delivered in order: the n-th packet a client got is the n-th call.
    const matched = [timeline.handed, timeline.arrived, timeline.answered].every(
      (list) => list.length === sealedPackets,
    );
    const handedOnly = timeline.handed.length === sealedPackets;
    const at = (list: number[], index: number | undefined, ok = matched) =>
      ok && index !== undefined ? machine(list[index] ?? Number.NaN) : Number.NaN;
    const breakdown: Breakdown = {
      write: [],
      commitToHanded: [],
      roundTrip: [],
      sfuToClient: [],
      openApply: [],
      open: gathered.opens,
      commitToApplied: [],
      writeToApplied: [],
      lastClient: [],
      probe: Object.fromEntries(PROBE_HOPS.map((hop) => [hop, []])) as unknown as Breakdown['probe'],
      statementsPerEvent: used / WRITES,
      seal: sealMs,
      complete: gathered.complete,
      matched,
    };
    for (const call of calls) {
      const committed = machine(call.committed);
      const index = gathered.clients[0]?.get(call.id)?.packet;
      const handed = at(timeline.handed, index, handedOnly);
      const arrived = at(timeline.arrived, index);
      breakdown.write.push(call.returned - call.started);
      breakdown.commitToHanded.push(handed - committed);
      breakdown.roundTrip.push(at(timeline.answered, index) - at(timeline.handed, index));
      let last = 0;
      for (const client of gathered.clients) {
        const arrival = client.get(call.id);
        const received = arrival?.received ?? Number.NaN;
        const applied = arrival?.applied ?? Number.NaN;
        breakdown.sfuToClient.push(received - arrived);
        breakdown.openApply.push(applied - received);
        breakdown.commitToApplied.push(applied - committed);
        breakdown.writeToApplied.push(applied - machine(call.started));
        last = Math.max(last, applied - committed);
      }
      breakdown.lastClient.push(last);
      const probed = gathered.clients[0]?.get(call.id);
      const hops: Record<ProbeHop, number> = {
        'commit → handed': handed - committed,
        'handed → SFU in': arrived - handed,
        'SFU in → received': (probed?.received ?? Number.NaN) - (SFU_PROCESS ? handed : arrived),
        'received → opened': (probed?.opened ?? Number.NaN) - (probed?.received ?? Number.NaN),
        'opened → applied': (probed?.applied ?? Number.NaN) - (probed?.opened ?? Number.NaN),
        'commit → applied': (probed?.applied ?? Number.NaN) - committed,
      };
      for (const hop of PROBE_HOPS) breakdown.probe[hop].push(hops[hop]);
    }
    return breakdown;
  };

  const runOld = async () => {
    const writtenAt = new Map<string, number>();
    const before = statements?.read() ?? 0;
    const broadcastBefore = runtime.sync.broadcaster?.stats.dbQueries ?? 0;
    for (let i = 0; i < WRITES; i++) {
      const started = performance.now();
      const saved = await domain.intentions.createUtterance(actor, {
        spaceId: space.id,
        content: `old ${i}`,
      });
      writtenAt.set(saved.id, machine(started));
      // The old server's ping: the id only, to everyone; the sync broadcast still runs but clients ignore it.
      await roomService.sendData(
        space.id,
        new TextEncoder().encode(JSON.stringify({ id: saved.id })),
        DataPacket_Kind.RELIABLE,
        { topic: PING_TOPIC },
      );
      await sleep(Math.max(0, WRITE_MS - (performance.now() - started)));
    }
    const gathered = await gather(groups, [...writtenAt.keys()], 'refetched');
    // The broadcaster keeps running during the old design's run; its statements are not the old design's.
    const broadcast = (runtime.sync.broadcaster?.stats.dbQueries ?? 0) - broadcastBefore;
    const used = (statements?.read() ?? Number.NaN) - before - broadcast;
    const perClient: number[] = [];
    const lastClient: number[] = [];
    for (const [id, at] of writtenAt) {
      // The probe is no client of the old design's figures (it is there for sealing's comparison).
      const times = gathered.clients.slice(1).map((client) => (client.get(id)?.applied ?? Number.NaN) - at);
      perClient.push(...times);
      lastClient.push(Math.max(...times));
    }
    return `| ${count} | ${p50p99(perClient)} | ${p50p99(lastClient)} | ${f(used / WRITES)} |${gathered.complete ? '' : ' incomplete'}`;
  };

  // The first run warms the client processes up (JIT, connections); it is not counted.
  await runNew(true);
  const sealedRuns: Breakdown[] = [];
  const plainRuns: Breakdown[] = [];
  for (let round = 0; round < SEALING_ROUNDS; round++) {
    sealedRuns.push(await runNew(true));
    plainRuns.push(await runNew(false));
  }
  timeline.close();
  const sealed = pool(sealedRuns);
  const plain = pool(plainRuns);
  const payload = await probe.sample();
  const floor = await wsFloor(count, payload);
  // The old design's pings go through the SDK's fetch, which a loaded machine can reset: keep the new row.
  const oldRow =
    kind === 'pglite'
      ? await runOld().catch((error: unknown) => `| ${count} | old design run failed: ${String(error)} |`)
      : undefined;
  await Promise.all(groups.map((group) => group.close()));
  const uncontended = await openSerially(payload, await runtime.sync.snapshot(space.id));

  const notes = [
    sealed.complete && plain.complete ? '' : 'incomplete',
    SFU_PROCESS
      ? 'SFU in its own process: no per-hop figures at the SFU'
      : sealed.matched
        ? ''
        : 'SendData calls ≠ packets received (a retry?): no per-hop figures',
  ].filter(Boolean);
  const ratio = p50(sealed.commitToApplied) / p50(floor);
  const probeDelta = p50(sealed.probe['commit → applied']) - p50(plain.probe['commit → applied']);
  const row =
    `| ${kind} | ${count} | ${p50p99(sealed.write)} | ${p50p99(sealed.commitToHanded)} | ${p50p99(sealed.roundTrip)} | ` +
    `${p50p99(sealed.sfuToClient)} | ${p50p99(sealed.openApply)} | ${p50p99(sealed.commitToApplied)} | ` +
    `${p50p99(sealed.writeToApplied)} | ${p50p99(sealed.lastClient)} | ${p50p99(floor)} | ${f(ratio)}× | ` +
    `${f(sealed.statementsPerEvent)} | ${f(sealed.seal * 1000)} | ${f(p50(sealed.open) * 1000)} / ${f(percentile(sealed.open, 99) * 1000)} | ` +
    `${f(p50(uncontended) * 1000)} / ${f(percentile(uncontended, 99) * 1000)} | ` +
    `${f(p50(sealed.commitToApplied))} / ${f(p50(plain.commitToApplied))} | ` +
    `${p50p99(sealed.probe['commit → applied'])} | ${p50p99(plain.probe['commit → applied'])} | ${f(probeDelta, 2)} |${notes.length > 0 ? ` ${notes.join('; ')}` : ''}`;
  const hopRow = `| ${kind} | ${count} | ${PROBE_HOPS.map((hop) => {
    const [s, u] = [p50(sealed.probe[hop]), p50(plain.probe[hop])];
    return `${f(s, 2)} / ${f(u, 2)} (${s >= u ? '+' : ''}${f(s - u, 2)})`;
  }).join(' | ')} | ${f(loadAtStart ?? 0, 2)} |`;
  return { row, hopRows: [hopRow], oldRow };
}

/** Pools runs of one kind: every per-event list concatenated, seal time averaged, flags and-ed. */
function pool(runs: Breakdown[]): Breakdown {
  const lists = (pick: (run: Breakdown) => number[]) => runs.flatMap(pick);
  return {
    write: lists((run) => run.write),
    commitToHanded: lists((run) => run.commitToHanded),
    roundTrip: lists((run) => run.roundTrip),
    sfuToClient: lists((run) => run.sfuToClient),
    openApply: lists((run) => run.openApply),
    open: lists((run) => run.open),
    commitToApplied: lists((run) => run.commitToApplied),
    writeToApplied: lists((run) => run.writeToApplied),
    lastClient: lists((run) => run.lastClient),
    probe: Object.fromEntries(
      PROBE_HOPS.map((hop) => [hop, lists((run) => run.probe[hop])]),
    ) as Breakdown['probe'],
    statementsPerEvent: runs.reduce((sum, run) => sum + run.statementsPerEvent, 0) / runs.length,
    seal: runs.reduce((sum, run) => sum + run.seal, 0) / runs.length,
    complete: runs.every((run) => run.complete),
    matched: runs.every((run) => run.matched),
  };
}

/**
 * Every client's arrivals of `ids` (the probe's first, then each process's in order), polling the
 * processes until all have all of them or 60 s passed. `refetched`: the old design's refetches instead.
 */
async function gather(
  groups: ClientGroup[],
  ids: string[],
  source: 'arrivals' | 'refetched' = 'arrivals',
): Promise<{ clients: Map<string, Arrival>[]; opens: number[]; complete: boolean }> {
  const clients: Map<string, Arrival>[] = groups.flatMap((group) =>
    Array.from({ length: group.size }, () => new Map<string, Arrival>()),
  );
  const opens: number[] = [];
  const complete = () => clients.every((client) => ids.every((id) => client.has(id)));
  const deadline = Date.now() + 60_000;
  do {
    let offset = 0;
    for (const group of groups) {
      const report = await group.report();
      report.arrivals.forEach((arrivals, c) => {
        const client = clients[offset + c];
        if (source === 'arrivals') for (const arrival of arrivals) client?.set(arrival.id, arrival);
      });
      report.refetched.forEach((refetched, c) => {
        const client = clients[offset + c];
        if (source === 'refetched') {
          for (const [id, at] of refetched)
            client?.set(id, { id, received: at, opened: at, applied: at, packet: -1 });
        }
      });
      // The probe's opens alone: the others' may be shared (BENCH_CLIENT_OPENS).
      if (group === groups[0]) opens.push(...report.opens);
      offset += group.size;
    }
    if (complete()) break;
    await sleep(50);
  } while (Date.now() < deadline);
  return { clients, opens, complete: complete() };
}

/**
 * Verify + decrypt + decode of one real packet, one after another with nothing else queued: what one
 * client (a browser tab) pays per packet, ms. A fresh opener with the space's current keys, imported once.
 */
async function openSerially(payload: Uint8Array, snapshot: Keyed<SpaceSnapshot>): Promise<number[]> {
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

interface ClientGroup {
  pid: number;
  /** Clients joined so far in this process. */
  size: number;
  join(
    joins: { url: string; token: string }[],
    snapshot: Keyed<SpaceSnapshot>,
    shareOpens: boolean,
  ): Promise<void>;
  setSealed(sealed: boolean): Promise<void>;
  report(): Promise<Extract<ClientsMessage, { type: 'report' }>>;
  /** The last sealed packet this process's first client received. */
  sample(): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A client process (`sync-clients.ts`), driven over IPC; its old-design refetches are answered with `page`. */
async function startClients(
  page: () => Promise<string[]>,
  cpus?: string,
  priority?: number,
): Promise<ClientGroup> {
  const child = fork(new URL('./sync-clients.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    // @livekit/rtc-node logs at debug level (every connect) unless NODE_ENV is production.
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Off the server side's cores before its WebRTC threads start (they inherit it); the probe stays.
  if (cpus && child.pid) pin(child.pid, cpus);
  // Before its threads start: they inherit the priority of the thread that starts them.
  if (priority !== undefined && child.pid) prioritize(child.pid, priority);
  const command = (message: ClientsCommand) => child.send(message);
  child.on('message', (message: ClientsMessage) => {
    if (message.type !== 'refetch') return;
    void page().then((ids) => command({ type: 'page', client: message.client, ids }));
  });
  const next = <T extends ClientsMessage['type']>(type: T) =>
    new Promise<Extract<ClientsMessage, { type: T }>>((resolve, reject) => {
      const onMessage = (message: ClientsMessage) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<ClientsMessage, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`a client process exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const ask = <T extends ClientsMessage['type']>(message: ClientsCommand, answer: T) => {
    const reply = next(answer);
    command(message);
    return reply;
  };
  await next('ready');
  const group: ClientGroup = {
    pid: child.pid ?? 0,
    size: 0,
    async join(joins, snapshot, shareOpens) {
      await ask({ type: 'join', joins, snapshot, shareOpens }, 'joined');
      group.size += joins.length;
    },
    setSealed: async (sealed) => {
      await ask({ type: 'mode', sealed }, 'mode');
    },
    report: () => ask({ type: 'report' }, 'report'),
    sample: async () => new Uint8Array((await ask({ type: 'sample' }, 'sample')).bytes),
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        command({ type: 'close' });
      }),
  };
  return group;
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
