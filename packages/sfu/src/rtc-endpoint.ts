import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { ApiKeys } from './auth/keys.ts';
import { verifyAccessToken } from './auth/verify.ts';
import { corsHeaders, writeText } from './http/cors.ts';
import { HttpError } from './http/http-error.ts';
import type { SfuLimits } from './limits.ts';
import type { PreparedConnection, RoomRegistry } from './room/registry.ts';
import { parseConnectRequest, type SignalVersion } from './signal/connect-request.ts';

const CLOSE_GRACE_MS = 1000;

export interface RtcEndpointOptions {
  registry: RoomRegistry;
  keys: ApiKeys;
  /** Signal message and join request sizes. */
  limits: SfuLimits;
  /** Clock skew allowed on join tokens; verifyAccessToken's default (livekit-server's 60 s) when unset. */
  tokenLeewaySeconds?: number;
  logger: Logger;
}

export interface RtcEndpoint {
  /** The signal path a URL names (`/rtc` → 0, `/rtc/v1` → 1), with whether it is a validate call. */
  route(pathname: string): { version: SignalVersion; validate: boolean } | undefined;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, version: SignalVersion): void;
  validate(req: IncomingMessage, res: ServerResponse, version: SignalVersion): Promise<void>;
  /** Waits briefly for closing sockets to flush, then drops the rest. */
  close(): Promise<void>;
}

const ROUTES: Readonly<Record<string, { version: SignalVersion; validate: boolean }>> = {
  '/rtc': { version: 0, validate: false },
  '/rtc/v1': { version: 1, validate: false },
  '/rtc/validate': { version: 0, validate: true },
  '/rtc/v1/validate': { version: 1, validate: true },
};

/**
 * The signalling entry: authorises a join before upgrading (so refusals are HTTP statuses the
 * SDKs understand), then hands the socket to the room registry. Also serves the validate paths.
 */
export function createRtcEndpoint(options: RtcEndpointOptions): RtcEndpoint {
  const { registry, keys, limits, tokenLeewaySeconds, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.signalMessageBytes });

  async function prepare(req: IncomingMessage, version: SignalVersion): Promise<PreparedConnection> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const connect = parseConnectRequest(version, url.searchParams, req.headers, limits.joinRequestBytes);
    const claims = await verifyAccessToken(connect.token, keys, tokenLeewaySeconds);
    return registry.prepare(claims, connect);
  }

  return {
    route(pathname) {
      return ROUTES[pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname];
    },

    upgrade(req, socket, head, version) {
      prepare(req, version).then(
        (prepared) => {
          wss.handleUpgrade(req, socket, head, (ws) => {
            try {
              registry.accept(ws, prepared);
            } catch (error) {
              logger.error({ err: error }, 'signal session failed to start');
              ws.close(1011, 'internal error');
            }
          });
        },
        (error: unknown) => {
          const status = error instanceof HttpError ? error.status : 500;
          const message = error instanceof Error ? error.message : String(error);
          logger.info({ status, reason: message, path: req.url?.split('?')[0] }, 'signal connection refused');
          refuseUpgrade(req, socket, status, message);
        },
      );
    },

    async validate(req, res, version) {
      try {
        await prepare(req, version);
        writeText(res, 200, 'success');
      } catch (error) {
        writeText(res, error instanceof HttpError ? error.status : 500, (error as Error).message);
      }
    },

    async close() {
      // Sockets closed by the registry still have a leave to flush; give them a moment.
      const deadline = Date.now() + CLOSE_GRACE_MS;
      while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

/** A plain HTTP refusal written on the upgrade's socket, which the SDKs read as the join's error. */
export function refuseUpgrade(req: IncomingMessage, socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = Buffer.from(message);
  const headers = {
    ...corsHeaders(req.headers),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(body.byteLength),
    Connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    Buffer.concat([Buffer.from(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${head}\r\n`), body]),
  );
}
