import { randomBytes } from 'node:crypto';
import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { AccessToken } from 'livekit-server-sdk';

export interface SendDataClientOptions {
  /** LiveKit's URL, ws(s):// or http(s):// (LiveKit Cloud or our SFU). */
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Give up on one call after this long (default 5 s). */
  requestTimeoutSeconds?: number;
  /** Lifetime of the per-room admin token; it is re-signed after half of it (default 10 minutes). */
  tokenTtlSeconds?: number;
}

/** A refused call, shaped like livekit-server-sdk's TwirpError (`code`, `status`) so callers treat both alike. */
export class SendDataError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SendDataError';
  }
}

export interface SendDataClient {
  /** RoomService.SendData, reliable, with a topic; resolves when LiveKit accepted it. */
  sendData(room: string, payload: Uint8Array, topic: string): Promise<void>;
  close(): void;
}

/** How long an idle kept-alive connection is kept: below the idle timeouts of common load balancers (60 s). */
const IDLE_CONNECTION_MS = 30_000;

/** Rooms whose admin tokens are kept; past this the cache starts over (a token is cheap to sign again). */
const MAX_CACHED_TOKENS = 1_000;

/**
 * RoomService.SendData as livekit-server-sdk sends it (Twirp, proto3 JSON, a `roomAdmin` token for the
 * room, a random 16-byte nonce), minus what costs time on every call: connections are kept alive and
 * reused (node:http, measured faster than `fetch` here), and each room's signed token is reused while it
 * is valid. Nothing assumes loopback: the same calls go to LiveKit Cloud over https.
 */
export function createSendDataClient(options: SendDataClientOptions): SendDataClient {
  const base = new URL(options.url.replace(/^ws/, 'http'));
  const endpoint = new URL('/twirp/livekit.RoomService/SendData', base);
  const secure = endpoint.protocol === 'https:';
  // Idle connections are closed after IDLE_CONNECTION_MS, or sooner if the server's Keep-Alive hint
  // says so (Node's agent ignores the hint unless it has a timeout of its own).
  const agentOptions = { keepAlive: true, timeout: IDLE_CONNECTION_MS };
  const agent = secure ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const request = secure ? httpsRequest : httpRequest;
  const timeoutMs = (options.requestTimeoutSeconds ?? 5) * 1000;
  const ttlSeconds = options.tokenTtlSeconds ?? 600;
  const tokens = new Map<string, { header: Promise<string>; renewAt: number }>();

  const authorization = (room: string): Promise<string> => {
    const now = Date.now();
    const cached = tokens.get(room);
    if (cached && now < cached.renewAt) return cached.header;
    if (tokens.size >= MAX_CACHED_TOKENS) tokens.clear();
    const token = new AccessToken(options.apiKey, options.apiSecret, { ttl: ttlSeconds });
    token.addGrant({ roomAdmin: true, room });
    const header = token.toJwt().then((jwt) => `Bearer ${jwt}`);
    // A failed signing is not kept: the next call signs again.
    header.catch(() => tokens.delete(room));
    tokens.set(room, { header, renewAt: now + (ttlSeconds * 1000) / 2 });
    return header;
  };

  /** One POST of `body`; `fresh` opens a connection of its own instead of taking a kept-alive one. */
  const post = (body: string, headers: OutgoingHttpHeaders, fresh: boolean) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        endpoint,
        { method: 'POST', agent: fresh ? false : agent, headers, timeout: timeoutMs },
        (res) => readText(res).then((text) => resolve({ status: res.statusCode ?? 0, text }), reject),
      );
      req.on('socket', (socket) => socket.setNoDelay(true));
      req.on('timeout', () =>
        req.destroy(new Error(`LiveKit did not answer SendData within ${timeoutMs} ms`)),
      );
      req.on('error', (error: NodeJS.ErrnoException) =>
        reject(req.reusedSocket && isClosedUnderneath(error) ? new ClosedUnderneath(error) : error),
      );
      req.end(body);
    });

  return {
    async sendData(room, payload, topic) {
      // Built once: a second attempt carries the same nonce, so LiveKit delivers the packet once.
      const body = JSON.stringify({
        room,
        data: Buffer.from(payload).toString('base64'),
        kind: 'RELIABLE',
        topic,
        nonce: randomBytes(16).toString('base64'),
      });
      const headers = {
        Authorization: await authorization(room),
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      };
      // A kept-alive connection the other side closed just as it was reused (its idle timeout, a
      // proxy's) fails before any answer: try once more on a new connection. Should the first attempt
      // have reached LiveKit after all, the repeated nonce is dropped there.
      const response = await post(body, headers, false).catch((error: unknown) => {
        if (error instanceof ClosedUnderneath) return post(body, headers, true);
        throw error;
      });
      if (response.status >= 200 && response.status < 300) return;
      throw twirpError(response.status, response.text);
    },
    close: () => agent.destroy(),
  };
}

/** A request that met a reused connection already closed by the other side. */
class ClosedUnderneath extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}

function isClosedUnderneath(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ECONNRESET' || error.code === 'EPIPE';
}

function readText(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** Twirp errors are JSON `{ code, msg }`; anything else (a proxy's page) keeps its status. */
function twirpError(status: number, text: string): SendDataError {
  try {
    const parsed = JSON.parse(text) as { code?: unknown; msg?: unknown };
    const code = typeof parsed.code === 'string' ? parsed.code : undefined;
    const msg = typeof parsed.msg === 'string' ? parsed.msg : text;
    return new SendDataError(`LiveKit refused SendData (${status} ${code ?? ''}): ${msg}`, status, code);
  } catch {
    return new SendDataError(`LiveKit refused SendData (HTTP ${status})`, status, undefined);
  }
}
