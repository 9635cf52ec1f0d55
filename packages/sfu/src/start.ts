import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, pino } from 'pino';
import type { ApiKeys } from './auth/keys.ts';
import { setCors, writeText } from './http/cors.ts';
import { requestPath } from './http/request-path.ts';
import { DEFAULT_LIMITS, type SfuLimits } from './limits.ts';
import { createSfuMetrics, type SfuMetricsRegistry } from './metrics.ts';
import type { RoomServiceBackend, WebhookSink } from './ports.ts';
import { RoomRegistry } from './room/registry.ts';
import type { RoomContext } from './room/room-context.ts';
import { DEFAULT_DOWNSTREAM_LIMITS, type DownstreamLimits } from './rtc/downstream.ts';
import type { RtcOptions } from './rtc/peer-transport.ts';
import { createRtcEndpoint, refuseUpgrade } from './rtc-endpoint.ts';
import { createTwirpHandler } from './twirp/handler.ts';
import { createWebhookSink } from './webhook/sink.ts';

export interface SfuOptions {
  /** Address the HTTP/WebSocket server binds to. Default 127.0.0.1. */
  host?: string;
  /** Port; 0 picks a free one (tests). Default 7880 like livekit-server. */
  port?: number;
  /** API key → secret; tokens must be signed with one of them. */
  keys: ApiKeys;
  /** Webhook receiver: a URL (signed with the first key, or `apiKey`) or a ready sink. */
  webhook?: { url: string; apiKey?: string } | WebhookSink;
  logger?: Logger;
  /** WebRTC side: bind address (default: `host`, unless it is a wildcard), UDP port range, ICE servers. */
  rtc?: RtcOptions;
  /** Serve Prometheus metrics at /metrics. Default true. */
  metrics?: boolean;
  pingIntervalSeconds?: number;
  pingTimeoutSeconds?: number;
  /** How often participants get a fresh token (`refresh_token`). Default 5 minutes, as livekit-server. */
  tokenRefreshIntervalMs?: number;
  /** Participant-count RoomUpdates are batched to one per interval. Default 5 s, as livekit-server. */
  roomUpdateIntervalMs?: number;
  /** Clock skew allowed on a join token's exp/nbf. Default 60 s, as livekit-server. */
  tokenLeewaySeconds?: number;
  /** How long a participant whose signal socket dropped may take to resume. Default 30 s. */
  resumeWindowMs?: number;
  emptyTimeoutSeconds?: number;
  departureTimeoutSeconds?: number;
  downstreamLimits?: Partial<DownstreamLimits>;
  /** Size limits, livekit-server's by default; tests pass small ones. */
  limits?: Partial<SfuLimits>;
}

export interface SfuServer {
  /** `ws://host:port`, what the SDKs take as the LiveKit URL. */
  url: string;
  port: number;
  /** The room state, as the RoomService API sees it. */
  rooms: RoomServiceBackend;
  /** Drops a participant's signal socket without a leave (tests of the resume path). */
  dropSignal(identity: string, room?: string): boolean;
  /** Participants get leave(SERVER_SHUTDOWN), rooms close, webhooks are flushed. */
  close(): Promise<void>;
}

/** Starts a LiveKit-protocol server for data-only rooms on one HTTP port. */
export async function startSfu(options: SfuOptions): Promise<SfuServer> {
  const logger = options.logger ?? pino({ name: 'rhizom-sfu' });
  const host = options.host ?? '127.0.0.1';
  const webhook = webhookSink(options, logger);
  const metrics: SfuMetricsRegistry | undefined = options.metrics === false ? undefined : createSfuMetrics();
  const context: RoomContext = {
    logger,
    keys: options.keys,
    tokenRefreshIntervalMs: options.tokenRefreshIntervalMs ?? 5 * 60_000,
    roomUpdateIntervalMs: options.roomUpdateIntervalMs ?? 5_000,
    webhook,
    metrics,
    // WebRTC listens where signalling does (a loopback SFU is not reachable over UDP from the network)
    // unless told otherwise; a wildcard host leaves the choice to libjuice: every interface.
    rtc: { ...options.rtc, bindAddress: options.rtc?.bindAddress ?? (isWildcard(host) ? undefined : host) },
    downstreamLimits: { ...DEFAULT_DOWNSTREAM_LIMITS, ...options.downstreamLimits },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    pingIntervalSeconds: options.pingIntervalSeconds ?? 5,
    pingTimeoutSeconds: options.pingTimeoutSeconds ?? 15,
    resumeWindowMs: options.resumeWindowMs ?? 30_000,
    emptyTimeoutSeconds: options.emptyTimeoutSeconds ?? 300,
    departureTimeoutSeconds: options.departureTimeoutSeconds ?? 20,
  };
  const registry = new RoomRegistry(context);
  const rtc = createRtcEndpoint({
    registry,
    keys: options.keys,
    limits: context.limits,
    tokenLeewaySeconds: options.tokenLeewaySeconds,
    logger,
  });
  const twirp = createTwirpHandler({ backend: registry, keys: options.keys, logger });

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error, path: req.url }, 'request failed');
      if (!res.headersSent) writeText(res, 500, 'internal error');
      else res.destroy();
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      setCors(res);
      res.writeHead(204).end();
      return;
    }
    // The API call path first, without a URL parse.
    if (requestPath(req.url).startsWith('/twirp/')) return twirp(req, res);
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname === '/metrics' && metrics !== undefined) return metrics.handle(req, res);
    const signal = rtc.route(pathname);
    if (signal?.validate) return rtc.validate(req, res, signal.version);
    if (signal !== undefined) return writeText(res, 400, 'expected a WebSocket upgrade');
    if (pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) return writeText(res, 200, 'OK');
    writeText(res, 404, 'not found');
  }

  // Idle keep-alive connections stay open until the client closes them, as livekit-server's (Go's
  // http.Server without IdleTimeout): a server that closes them (Node's default, ~6 s) races every
  // client reusing one at that moment, and the call fails with ECONNRESET. With 0, Node also sends no
  // Keep-Alive hint, so clients keep their own idle lifetimes (fetch: 4 s), all shorter than forever.
  server.keepAliveTimeout = 0;

  server.on('upgrade', (req, socket, head) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const signal = rtc.route(pathname);
    if (signal === undefined || signal.validate) {
      refuseUpgrade(req, socket, 404, 'not found');
      return;
    }
    rtc.upgrade(req, socket, head, signal.version);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 7880, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  logger.info({ host, port }, 'rhizom-sfu listening');

  let closing: Promise<void> | undefined;
  return {
    url: `ws://${urlHost}:${port}`,
    port,
    rooms: registry,
    dropSignal: (identity, room) => registry.dropSignal(identity, room),
    close() {
      closing ??= (async () => {
        registry.close();
        await rtc.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await webhook?.flush();
        logger.info('rhizom-sfu stopped');
      })();
      return closing;
    },
  };
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function webhookSink(options: SfuOptions, logger: Logger): WebhookSink | undefined {
  const webhook = options.webhook;
  if (webhook === undefined) return undefined;
  if ('emit' in webhook) return webhook;
  return createWebhookSink({ url: webhook.url, apiKey: webhook.apiKey, keys: options.keys, logger });
}
