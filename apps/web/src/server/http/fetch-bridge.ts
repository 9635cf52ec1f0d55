import type { IncomingMessage, ServerResponse } from 'node:http';
import { acceptsGzip, gzipped } from './gzip.ts';

/** A web-standard handler, as Next.js route handlers and tRPC's fetch adapter are written. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Smaller answers go out as they are: most API answers (a post's, for one) are a few hundred bytes, which
 * gzip barely shrinks, for a fixed cost per answer.
 */
const COMPRESS_FROM = 1024;

/**
 * Answers a Node request with a fetch handler: the request's body is read whole (the server's guard has
 * already bounded it) and the handler's answer is written at once, gzipped when it is large and the client
 * takes gzip. The handler reads only the path, query and headers of the request's URL, so its origin is a
 * fixed placeholder rather than the client's Host header. Its signal aborts when the client goes away.
 */
export async function answerWithFetch(
  handler: FetchHandler,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) gone.abort();
  });
  const response = await handler(
    new Request(new URL(req.url ?? '/', 'http://localhost'), {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([name, value]) =>
        value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((one) => [name, one]),
      ) as [string, string][],
      body: await bodyOf(req),
      signal: gone.signal,
    }),
  );
  let body = Buffer.from(await response.arrayBuffer());
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value);
  const cookies = response.headers.getSetCookie();
  if (cookies.length) res.setHeader('set-cookie', cookies);
  if (body.length >= COMPRESS_FROM && !response.headers.has('content-encoding') && acceptsGzip(req)) {
    body = await gzipped(body);
    res.setHeader('content-encoding', 'gzip');
    const vary = response.headers.get('vary');
    res.setHeader('vary', vary ? `${vary}, accept-encoding` : 'accept-encoding');
  }
  res.setHeader('content-length', body.length);
  res.writeHead(response.status);
  res.end(body);
}

async function bodyOf(req: IncomingMessage): Promise<Buffer<ArrayBuffer> | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
