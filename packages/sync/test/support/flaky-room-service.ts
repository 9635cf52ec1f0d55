import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP hop in front of the SFU's Twirp API that answers the first `refuse` calls of one method with
 * a 503 Twirp error and forwards everything else: LiveKit's API having a bad moment.
 */
export async function startFlakyRoomService(
  sfuUrl: string,
  method: string,
  refuse: number,
): Promise<{ url: string; refused(): number; close(): Promise<void> }> {
  const target = sfuUrl.replace(/^ws/, 'http');
  let refused = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.url === `/twirp/livekit.RoomService/${method}` && refused < refuse) {
      refused++;
      res
        .writeHead(503, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ code: 'unavailable', msg: 'the room service is having a bad moment' }));
      return;
    }
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: {
        authorization: req.headers.authorization ?? '',
        'content-type': req.headers['content-type'] ?? 'application/json',
      },
      body: Buffer.concat(chunks),
    });
    res
      .writeHead(answer.status, { 'Content-Type': answer.headers.get('content-type') ?? 'application/json' })
      .end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
