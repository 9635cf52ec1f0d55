import { Agent, request } from 'node:http';

/** POSTs to one URL over one keep-alive node:http connection pool: the cheapest HTTP client Node has. */
export function keepAlivePoster(url: string): {
  post(body: Uint8Array | string): Promise<void>;
  close(): void;
} {
  const agent = new Agent({ keepAlive: true });
  return {
    post: (body) =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
