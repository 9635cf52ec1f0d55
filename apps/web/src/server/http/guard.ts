import { IncomingMessage, type ServerResponse } from 'node:http';
import { type BodyLimits, bodyLimitFor, tooLargeMessage } from './body-limit.ts';
import { clientAddress, type TrustProxy } from './client-address.ts';

export interface HttpGuardConfig {
  trustProxy: TrustProxy;
  bodyLimits: BodyLimits;
  /** Set on every response (`security-headers.ts`). */
  headers?: Record<string, string>;
}

/**
 * What the server does with every request before Next.js sees it:
 * - X-Forwarded-For becomes the one client address (`client-address.ts`): the socket's peer unless
 *   TRUST_PROXY names our proxies. better-auth's rate limiter and session `ipAddress` read that header, so
 *   a client can no longer choose its own rate-limit bucket.
 * - Security headers (CSP, no framing, nosniff, referrer policy) are set on the response.
 * - A body is read here, counted as it streams, up to its route's limit: a declared or actual size above
 *   it is answered 413 and the connection closed, so nothing beyond the limit is ever held in memory.
 *   Next.js then reads the body from a replay of what was read.
 * Resolves with the request for Next.js, or null when the request has been answered here.
 */
export async function guardRequest(
  req: IncomingMessage,
  res: ServerResponse,
  config: HttpGuardConfig,
): Promise<IncomingMessage | null> {
  for (const [name, value] of Object.entries(config.headers ?? {})) res.setHeader(name, value);
  req.headers['x-forwarded-for'] = clientAddress(
    req.socket.remoteAddress,
    req.headers['x-forwarded-for'],
    config.trustProxy,
  );
  if (!hasBody(req)) return req;
  const limit = bodyLimitFor(pathnameOf(req.url), config.bodyLimits);
  const declared = req.headers['content-length'];
  if (declared !== undefined && !(Number(declared) <= limit)) {
    refuse(req, res, 413, tooLargeMessage(limit));
    return null;
  }
  const body = await readWithin(req, limit);
  if (body === 'too large') {
    refuse(req, res, 413, tooLargeMessage(limit));
    return null;
  }
  if (body === 'aborted') return null;
  return replay(req, body);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The path of a request target, without its query or fragment. */
export function pathnameOf(url: string | undefined): string {
  const path = url ?? '/';
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

function readWithin(req: IncomingMessage, limit: number): Promise<Buffer | 'too large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (result: Buffer | 'too large' | 'aborted') => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAborted);
      req.off('aborted', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        settle('too large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => settle(Buffer.concat(chunks, size));
    const onAborted = () => settle('aborted');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAborted);
    req.on('aborted', onAborted);
  });
}

/**
 * Answers and closes the connection. The rest of an oversized upload is not read: the socket is destroyed
 * shortly after the answer is written (the delay gives the client a chance to read it).
 */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.shouldKeepAlive = false;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    connection: 'close',
    ...headers,
  });
  res.end(JSON.stringify({ error: { message, status } }), () => {
    setTimeout(() => req.socket.destroy(), 200).unref();
  });
}

/** A request Next.js can read like the original, its body being the bytes already read. */
function replay(original: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(original.socket);
  copy.method = original.method;
  copy.url = original.url;
  copy.httpVersion = original.httpVersion;
  copy.httpVersionMajor = original.httpVersionMajor;
  copy.httpVersionMinor = original.httpVersionMinor;
  const { 'transfer-encoding': _chunked, ...headers } = original.headers;
  copy.headers = { ...headers, 'content-length': String(body.length) };
  copy.rawHeaders = Object.entries(copy.headers).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value ?? '']).flatMap((one) => [name, one]),
  );
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}
