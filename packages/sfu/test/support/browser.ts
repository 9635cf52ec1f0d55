import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
// The package's exports hide dist/; its CommonJS entry lives beside the UMD bundle.
const UMD_PATH = join(dirname(require.resolve('livekit-client')), 'livekit-client.umd.js');

/**
 * A loopback page origin serving livekit-client's UMD bundle, so the SDK runs in a real page with
 * an http origin (it makes cross-origin requests to the SFU like a deployed app would).
 */
export async function servePage(): Promise<{ url: string; close(): Promise<void> }> {
  const bundle = readFileSync(UMD_PATH);
  const server: Server = createServer((req, res) => {
    if (req.url === '/livekit-client.umd.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
      return;
    }
    res
      .writeHead(200, { 'Content-Type': 'text/html' })
      .end(
        '<!doctype html><html><head><script src="/livekit-client.umd.js"></script></head><body></body></html>',
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
