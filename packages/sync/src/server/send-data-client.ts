import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
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
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
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

  return {
    async sendData(room, payload, topic) {
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
      const response = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(endpoint, { method: 'POST', agent, headers, timeout: timeoutMs }, (res) => {
          readText(res).then((text) => resolve({ status: res.statusCode ?? 0, text }), reject);
        });
        req.on('socket', (socket) => socket.setNoDelay(true));
        req.on('timeout', () =>
          req.destroy(new Error(`LiveKit did not answer SendData within ${timeoutMs} ms`)),
        );
        req.on('error', reject);
        req.end(body);
      });
      if (response.status >= 200 && response.status < 300) return;
      throw twirpError(response.status, response.text);
    },
    close: () => agent.destroy(),
  };
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
