import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface WsBroadcast {
  /** ws:// URL clients connect to; `POST <http url>/send` broadcasts the body. */
  url: string;
  close(): Promise<void>;
}

/**
 * The floor for a broadcast: a plain ws server. `POST /send` takes one message over HTTP (as
 * RoomService.SendData does, minus the token check) and writes it to every connected WebSocket.
 */
export async function startWsBroadcast(): Promise<WsBroadcast> {
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
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
