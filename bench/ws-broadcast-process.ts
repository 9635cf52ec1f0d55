import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { serveParent } from './child-process.ts';

/**
 * The baseline: a plain ws server. `POST /send` takes one message over HTTP (as RoomService.SendData
 * does, minus the token check) and writes it to every connected WebSocket.
 */
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const message = Buffer.concat(chunks);
    for (const client of wss.clients) client.send(message, { binary: true });
    res.writeHead(204).end();
  });
});
const wss = new WebSocketServer({ server });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
serveParent(
  `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
  () =>
    new Promise<void>((resolve) => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.close(() => resolve());
    }),
);
