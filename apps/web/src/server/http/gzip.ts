import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** gzip in libuv's thread pool, off the server's event loop. */
export const gzipped = promisify(gzip);

/** Whether the client takes gzip-encoded answers (its `Accept-Encoding`). */
export function acceptsGzip(req: IncomingMessage): boolean {
  return /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
}
