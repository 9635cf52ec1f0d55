import { performance } from 'node:perf_hooks';
import { connectRaw, type RawClient } from '@rhizom/sfu/raw-client';
import { AccessToken, DataPacket_Kind, RoomServiceClient } from 'livekit-server-sdk';
import WebSocket from 'ws';
import { type ServerChild, startChild } from './child-process.ts';

/**
 * bench:sfu — one room, one publisher (RoomService.SendData over HTTP) and N data receivers, against
 * a plain ws broadcast server fed the same way. Both servers run in child processes; the receivers
 * run here. Everything is on loopback and bounded in messages and time.
 *
 * Receivers are bare LiveKit-protocol clients (ws signalling + node-datachannel), not @livekit/rtc-node
 * Rooms: 20 rtc-node Rooms in one process took 6 s to join, 180 MB and ~2 s CPU for 6,000
 * deliveries, so 100 of them would measure the SDK's FFI rather than the server.
 */
const PARTICIPANTS = intFromEnv('BENCH_SFU_PARTICIPANTS', 100);
const MESSAGES = intFromEnv('BENCH_SFU_MESSAGES', 2_000);
const IN_FLIGHT = intFromEnv('BENCH_SFU_IN_FLIGHT', 64);
const PACED_MESSAGES = 200;
const PACED_PER_SECOND = 100;
const PAYLOAD_BYTES = 64;
const WARMUP_MESSAGES = 200;
const ROUNDS = intFromEnv('BENCH_SFU_ROUNDS', 3);
/** Give up waiting for deliveries after this long without progress. */
const STALL_MS = 5_000;

const KEY = 'benchkey';
const SECRET = 'bench-secret-bench-secret-bench-secret';
const ROOM = 'bench';
const MAGIC = Buffer.from('RZBM');

function intFromEnv(name: string, fallback: number): number {
  const value = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Counts deliveries and their latency; the send time travels in the payload. */
class Recorder {
  deliveries = 0;
  lastAt = 0;
  latencies: number[] = [];

  record(message: Buffer): void {
    const at = message.indexOf(MAGIC);
    if (at < 0) return;
    const now = performance.now();
    this.latencies.push(now - message.readDoubleLE(at + 8));
    this.deliveries += 1;
    this.lastAt = now;
  }

  reset(): void {
    this.deliveries = 0;
    this.lastAt = 0;
    this.latencies = [];
  }
}

function payload(seq: number): Buffer<ArrayBuffer> {
  const bytes = Buffer.alloc(PAYLOAD_BYTES);
  MAGIC.copy(bytes, 0);
  bytes.writeUInt32LE(seq, 4);
  bytes.writeDoubleLE(performance.now(), 8);
  return bytes;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function delivered(recorder: Recorder, expected: number): Promise<void> {
  let seen = -1;
  let since = performance.now();
  while (recorder.deliveries < expected) {
    if (recorder.deliveries !== seen) {
      seen = recorder.deliveries;
      since = performance.now();
    } else if (performance.now() - since > STALL_MS) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Phase {
  deliveries: number;
  expected: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function summarise(recorder: Recorder, expected: number, start: number): Phase {
  const sorted = Float64Array.from(recorder.latencies).sort();
  return {
    deliveries: recorder.deliveries,
    expected,
    perSecond: recorder.deliveries / ((recorder.lastAt - start) / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** As fast as the publisher goes: IN_FLIGHT requests outstanding at all times. */
async function saturate(
  send: (bytes: Buffer<ArrayBuffer>) => Promise<void>,
  recorder: Recorder,
  count: number,
): Promise<Phase> {
  recorder.reset();
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await send(payload(next++));
    }),
  );
  await delivered(recorder, count * PARTICIPANTS);
  return summarise(recorder, count * PARTICIPANTS, start);
}

/** A steady, light load: latency without queueing. */
async function paced(
  send: (bytes: Buffer<ArrayBuffer>) => Promise<void>,
  recorder: Recorder,
): Promise<Phase> {
  recorder.reset();
  const start = performance.now();
  const sends: Array<Promise<void>> = [];
  for (let seq = 0; seq < PACED_MESSAGES; seq += 1) {
    sends.push(send(payload(seq)));
    await new Promise((resolve) => setTimeout(resolve, 1000 / PACED_PER_SECOND));
  }
  await Promise.all(sends);
  await delivered(recorder, PACED_MESSAGES * PARTICIPANTS);
  return summarise(recorder, PACED_MESSAGES * PARTICIPANTS, start);
}

interface LoadRound {
  load: Phase;
  serverCpuMicrosPerDelivery: number;
  /** Share of wall time the server's JS thread was busy (1 = saturated). */
  serverLoopBusy: number;
  /** CPU the receivers and the publisher (this process) spent per delivery. */
  clientCpuMicrosPerDelivery: number;
}

interface Result extends LoadRound {
  name: string;
  connectMs: number;
  /** Time from one receiver's connect call to its open data channels, with all joining at once. */
  joinP50Ms: number;
  joinP99Ms: number;
  serverRssPerReceiverKiB: number;
  /** Deliveries/s of every round; the best one is reported, as the least disturbed by other load. */
  roundsPerSecond: number[];
  light: Phase;
}

interface System {
  name: string;
  server: ServerChild;
  connect(index: number, recorder: Recorder): Promise<() => Promise<void>>;
  send(bytes: Buffer<ArrayBuffer>): Promise<void>;
}

interface Connected {
  system: System;
  recorder: Recorder;
  closers: Array<() => Promise<void>>;
  connectMs: number;
  joinP50Ms: number;
  joinP99Ms: number;
  rssPerReceiverKiB: number;
}

async function connectAll(system: System): Promise<Connected> {
  const recorder = new Recorder();
  const idle = await system.server.usage();
  const start = performance.now();
  // Every receiver joins at once, as a room fills when a meeting starts; each join is timed on its own.
  const joins = await Promise.all(
    Array.from({ length: PARTICIPANTS }, async (_, i) => {
      const joinStart = performance.now();
      const close = await system.connect(i, recorder);
      return { close, ms: performance.now() - joinStart };
    }),
  );
  const connectMs = performance.now() - start;
  const joined = await system.server.usage();
  await saturate((bytes) => system.send(bytes), recorder, WARMUP_MESSAGES);
  const joinMs = Float64Array.from(joins.map((j) => j.ms)).sort();
  return {
    system,
    recorder,
    closers: joins.map((j) => j.close),
    connectMs,
    joinP50Ms: percentile(joinMs, 50),
    joinP99Ms: percentile(joinMs, 99),
    rssPerReceiverKiB: (joined.rss - idle.rss) / PARTICIPANTS / 1024,
  };
}

async function loadRound({ system, recorder }: Connected): Promise<LoadRound> {
  const before = await system.server.usage();
  const clientBefore = process.cpuUsage();
  const load = await saturate((bytes) => system.send(bytes), recorder, MESSAGES);
  const client = process.cpuUsage(clientBefore);
  const after = await system.server.usage();
  return {
    load,
    serverCpuMicrosPerDelivery: (after.cpuMicros - before.cpuMicros) / Math.max(1, load.deliveries),
    serverLoopBusy: performance.eventLoopUtilization(after.elu, before.elu).utilization,
    clientCpuMicrosPerDelivery: (client.user + client.system) / Math.max(1, load.deliveries),
  };
}

/**
 * Both systems stay connected while their load rounds alternate, so a burst of unrelated load on
 * the machine hits both rather than one; each reports its best round.
 */
async function measure(systems: System[]): Promise<Result[]> {
  const connected: Connected[] = [];
  try {
    for (const system of systems) connected.push(await connectAll(system));
    const rounds: LoadRound[][] = connected.map(() => []);
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [i, c] of connected.entries()) rounds[i]?.push(await loadRound(c));
    }
    const results: Result[] = [];
    for (const [i, c] of connected.entries()) {
      const mine = rounds[i] ?? [];
      const best = mine.reduce((a, b) => (b.load.perSecond > a.load.perSecond ? b : a));
      results.push({
        ...best,
        name: c.system.name,
        connectMs: c.connectMs,
        joinP50Ms: c.joinP50Ms,
        joinP99Ms: c.joinP99Ms,
        serverRssPerReceiverKiB: c.rssPerReceiverKiB,
        roundsPerSecond: mine.map((r) => Math.round(r.load.perSecond)),
        light: await paced((bytes) => c.system.send(bytes), c.recorder),
      });
    }
    return results;
  } finally {
    for (const c of connected) {
      await Promise.all(c.closers.map((close) => close()));
      await c.system.server.close();
    }
  }
}

async function sfuSystem(): Promise<System> {
  const server = await startChild(new URL('./sfu-process.ts', import.meta.url), {
    BENCH_KEYS: JSON.stringify({ [KEY]: SECRET }),
  });
  const api = new RoomServiceClient(server.url, KEY, SECRET);
  await api.createRoom({ name: ROOM });
  return {
    name: 'rhizom-sfu (WebRTC data channels)',
    server,
    async connect(index, recorder) {
      const token = new AccessToken(KEY, SECRET, { identity: `receiver-${index}` });
      token.addGrant({ roomJoin: true, room: ROOM });
      // 100 joins at once on two shared cores take longer than one alone; time them, do not fail them.
      const client: RawClient = await connectRaw(server.url, await token.toJwt(), {
        connectTimeoutMs: 60_000,
      });
      client.onData((message) => recorder.record(message));
      return () => client.close();
    },
    send: (bytes) => api.sendData(ROOM, bytes, DataPacket_Kind.RELIABLE, {}),
  };
}

async function wsSystem(): Promise<System> {
  const server = await startChild(new URL('./ws-broadcast-process.ts', import.meta.url));
  const sendUrl = `${server.url.replace(/^ws/, 'http')}/send`;
  return {
    name: 'plain ws broadcast (baseline)',
    server,
    async connect(_index, recorder) {
      const ws = new WebSocket(server.url);
      ws.on('message', (data: Buffer) => recorder.record(data));
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
      });
      return () =>
        new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.close();
        });
    },
    async send(bytes) {
      const response = await fetch(sendUrl, { method: 'POST', body: bytes });
      await response.arrayBuffer();
      if (!response.ok) throw new Error(`baseline send failed: HTTP ${response.status}`);
    },
  };
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

function print(results: Result[]): void {
  console.log(
    `\nbench:sfu — 1 room, 1 publisher (HTTP POST per message, ${IN_FLIGHT} in flight), ${PARTICIPANTS} receivers, ` +
      `${PAYLOAD_BYTES}-byte reliable messages; best of ${ROUNDS} alternating rounds of ${MESSAGES} messages under load, ` +
      `then ${PACED_MESSAGES} paced at ${PACED_PER_SECOND}/s\n`,
  );
  const rows = results.map((r) => ({
    system: r.name,
    'deliveries/s': Math.round(r.load.perSecond),
    rounds: r.roundsPerSecond.join(' '),
    delivered: `${r.load.deliveries}/${r.load.expected}`,
    'load p50 ms': fixed(r.load.p50),
    'load p99 ms': fixed(r.load.p99),
    'paced p50 ms': fixed(r.light.p50),
    'paced p99 ms': fixed(r.light.p99),
    // RSS moves by a few MiB with GC; a receiver costing less than that shows as 0.
    'server KiB/receiver': fixed(Math.max(0, r.serverRssPerReceiverKiB), 0),
    'server CPU µs/delivery': fixed(r.serverCpuMicrosPerDelivery, 2),
    'server loop busy': fixed(r.serverLoopBusy, 2),
    'clients CPU µs/delivery': fixed(r.clientCpuMicrosPerDelivery, 2),
    'join p50 ms': fixed(r.joinP50Ms, 0),
    'join p99 ms': fixed(r.joinP99Ms, 0),
    'join all ms': Math.round(r.connectMs),
  }));
  console.table(rows);
  const [sfu, ws] = results;
  if (sfu && ws) {
    const ratio = sfu.load.perSecond / ws.load.perSecond;
    console.log(
      `SFU / ws baseline deliveries per second: ${fixed(ratio, 2)} ` +
        `(${ratio >= 0.5 ? 'within' : 'NOT within'} 2x; aim ≥ 100k/s: ${sfu.load.perSecond >= 100_000 ? 'met' : 'not met'})`,
    );
  }
  console.log(`\n${JSON.stringify({ bench: 'sfu', participants: PARTICIPANTS, results })}`);
}

print(await measure([await sfuSystem(), await wsSystem()]));
process.exit(0);
