import type { IncomingMessage } from 'node:http';
import { TwirpError } from './twirp-error.ts';

/**
 * Reads a request body, refusing it as soon as it is longer than `maxBytes` so an oversize upload
 * never sits in memory. The rest of a refused body is drained (not destroyed) so the client still
 * receives the error response.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.resume();
      reject(
        new TwirpError(
          'invalid_argument',
          `request body is larger than ${maxBytes} bytes; send less data per call`,
        ),
      );
    };
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) tooLarge();
      else chunks.push(chunk);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, total));
    if (Number(req.headers['content-length'] ?? 0) > maxBytes) return tooLarge();
    req.on('data', onData);
    req.on('end', onEnd);
    req.once('error', (error) =>
      reject(new TwirpError('canceled', `the request body did not arrive: ${error.message}`)),
    );
  });
}
