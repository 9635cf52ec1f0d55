import type { IncomingMessage, ServerResponse } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { DropReason, SfuMetrics } from './ports.ts';

export interface SfuMetricsRegistry extends SfuMetrics {
  /** The Prometheus text exposition of every series. */
  render(): Promise<string>;
  readonly contentType: string;
  /** Serves `GET /metrics`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface SfuMetricsOptions {
  /** Also export Node process metrics (CPU, memory, event loop lag). Default true. */
  processMetrics?: boolean;
}

const DROP_REASONS: readonly DropReason[] = [
  'no_permission',
  'oversize',
  'malformed',
  'duplicate',
  'not_ready',
  'backpressure',
];

/**
 * Prometheus series for one SFU. Each SFU gets its own registry so several can run in one process
 * (tests, benchmarks) without clashing series names.
 */
export function createSfuMetrics(options: SfuMetricsOptions = {}): SfuMetricsRegistry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const rooms = new Gauge({ name: 'sfu_rooms', help: 'Rooms open now', registers });
  const participants = new Gauge({ name: 'sfu_participants', help: 'Participants connected now', registers });
  const roomsOpened = new Counter({ name: 'sfu_rooms_opened_total', help: 'Rooms opened', registers });
  const participantsJoined = new Counter({
    name: 'sfu_participants_joined_total',
    help: 'Participants that joined',
    registers,
  });
  const packetsIn = new Counter({
    name: 'sfu_packets_in_total',
    help: 'Data packets received from participants and the server API',
    registers,
  });
  const bytesIn = new Counter({
    name: 'sfu_bytes_in_total',
    help: 'Bytes of data packets received',
    registers,
  });
  const packetsOut = new Counter({
    name: 'sfu_packets_out_total',
    help: 'Data packets written to participants (one per recipient)',
    registers,
  });
  const bytesOut = new Counter({
    name: 'sfu_bytes_out_total',
    help: 'Bytes of data packets written',
    registers,
  });
  const dropped = new Counter({
    name: 'sfu_packets_dropped_total',
    help: 'Data packets not forwarded, by reason',
    labelNames: ['reason'],
    registers,
  });
  // Every reason is exported from the start so a dashboard can tell "none yet" from "not reported".
  for (const reason of DROP_REASONS) dropped.inc({ reason }, 0);

  const render = () => registry.metrics();

  return {
    roomsOpened() {
      rooms.inc();
      roomsOpened.inc();
    },
    roomsClosed() {
      rooms.dec();
    },
    participantsJoined() {
      participants.inc();
      participantsJoined.inc();
    },
    participantsLeft() {
      participants.dec();
    },
    packetIn(bytes) {
      packetsIn.inc();
      bytesIn.inc(bytes);
    },
    packetOut(bytes) {
      packetsOut.inc();
      bytesOut.inc(bytes);
    },
    packetDropped(reason) {
      dropped.inc({ reason });
    },
    render,
    contentType: registry.contentType,
    async handle(req, res) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('use GET /metrics\n');
        return;
      }
      const body = await render();
      res.writeHead(200, { 'Content-Type': registry.contentType, 'Content-Length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
