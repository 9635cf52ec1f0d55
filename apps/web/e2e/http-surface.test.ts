import { execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { startAppServer } from './support/app-server.ts';

/**
 * The served app (scripts/serve.ts in front of Next.js, as `npm start` runs it) attacked over plain HTTP:
 * spoofed client addresses, huge bodies, framing, and pages that should not exist for the caller.
 */
const baseUrl = inject('baseUrl');
const appDir = fileURLToPath(new URL('..', import.meta.url));
const port = Number(new URL(baseUrl).port);

/** Resident memory (bytes) of the server process serving `port`, found by its command line. */
function serverRss(): number {
  const lines = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' }).split('\n');
  const line = lines.find((entry) => entry.includes(`scripts/serve.ts start ${port}`));
  if (!line) throw new Error(`no server process for port ${port} in ps output`);
  return Number(line.trim().split(/\s+/)[0]) * 1024;
}

/** Streams `total` bytes (chunked) as fast as the socket takes them; what came back and how much went. */
function upload(path: string, total: number): Promise<{ status: number | null; body: string; sent: number }> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(256 * 1024, 0x7b);
    let sent = 0;
    let status: number | null = null;
    let body = '';
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      resolve({ status, body, sent });
    };
    const req = request(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        body += text;
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', done);
    req.on('close', done);
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

/** A guest signed in over HTTP: the session cookie to send back. */
async function guestCookie(name: string): Promise<string> {
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in/anonymous`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ name: `${name} ${Date.now().toString(36)}` }),
  });
  expect(signIn.status).toBe(200);
  return signIn.headers
    .getSetCookie()
    .map((entry) => entry.split(';')[0])
    .join('; ');
}

/** A tRPC mutation as `cookie`'s holder, over plain HTTP. */
function mutation(cookie: string, path: string, json: unknown): Promise<Response> {
  return fetch(`${baseUrl}/api/trpc/${path}`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ json }),
  });
}

/** The id of the space `cookie`'s holder creates. */
async function createdSpace(cookie: string, input: Record<string, unknown>): Promise<string> {
  const created = await mutation(cookie, 'being.create', { type: 'space', ...input });
  expect(created.status).toBe(200);
  return ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
}

describe('the served HTTP surface', () => {
  it('throttles sign-in attempts by socket address whatever X-Forwarded-For claims', async () => {
    // better-auth limits only when NODE_ENV is production (the shared test server runs as "test").
    const server = await startAppServer(appDir, { NODE_ENV: 'production' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: server.url,
            'x-forwarded-for': `203.0.113.${i + 1}`,
          },
          body: JSON.stringify({ email: `nobody${i}@example.test`, password: 'wrong password' }),
        });
        statuses.push(response.status);
      }
      // 3 sign-in attempts per 10 s per client: a new spoofed header each time bought no more.
      expect(statuses.slice(3)).toEqual([429, 429, 429]);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('refuses 200 MB bodies to tRPC, auth and the webhook while they stream, with memory bounded', async () => {
    const before = serverRss();
    for (const path of ['/api/trpc/being.create', '/api/livekit/webhook', '/api/auth/sign-in/anonymous']) {
      const outcome = await upload(path, 200 * 1024 * 1024);
      expect(outcome.sent, path).toBeLessThan(50 * 1024 * 1024);
      if (outcome.status !== null) {
        expect(outcome.status, path).toBe(413);
        expect(outcome.body, path).toContain('Request body too large');
      }
    }
    expect(serverRss() - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('sends security headers: CSP without framing, nosniff, a referrer policy', async () => {
    for (const path of ['/sign-in', '/api/trpc/being.me']) {
      const response = await fetch(`${baseUrl}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("img-src 'self' data: blob:");
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
  });

  it('answers 404 for a missing page and for a private one the caller may not see', async () => {
    expect((await fetch(`${baseUrl}/being/@no-such-being-here`)).status).toBe(404);
    const cookie = await guestCookie('Keeper');
    const id = await createdSpace(cookie, {
      name: `Hidden ${Date.now().toString(36)}`,
      visibility: 'private',
    });
    expect((await fetch(`${baseUrl}/being/${id}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/being/${id}/edit`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/being/${id}`, { headers: { cookie } })).status).toBe(200);
  });

  it("answers the API itself, not through Next.js: tRPC's headers, the guard's, gzip for large answers only", async () => {
    const cookie = await guestCookie('Talker');
    const id = await createdSpace(cookie, { name: `Chatty ${Date.now().toString(36)}` });
    for (let i = 0; i < 8; i++) {
      const posted = await mutation(cookie, 'intention.createUtterance', {
        spaceId: id,
        content: `Message ${i} `.repeat(20),
      });
      expect(posted.status).toBe(200);
      // Next.js's router marks its answers as varying with its own request headers; tRPC's are enough.
      expect(posted.headers.get('vary')).toBe('trpc-accept, accept');
      expect(posted.headers.get('content-encoding')).toBeNull();
    }
    const input = encodeURIComponent(JSON.stringify({ json: { spaceId: id } }));
    const list = (encoding: string) =>
      new Promise<{ status?: number; headers: Record<string, unknown>; size: number }>((resolve, reject) => {
        request(
          `${baseUrl}/api/trpc/intention.list?input=${input}`,
          { headers: { cookie, 'accept-encoding': encoding } },
          (res) => {
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
            });
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, size }));
          },
        )
          .on('error', reject)
          .end();
      });
    const plain = await list('identity');
    const zipped = await list('gzip, deflate');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('trpc-accept, accept, accept-encoding');
    expect(zipped.size).toBeLessThan(plain.size / 2);
    // The guard's headers are on it as on every answer (its body limits: the test above).
    expect(plain.headers['x-frame-options']).toBe('DENY');
  });

  it("serves the page's scripts itself, from memory with V8's compile hint, not through Next.js", async () => {
    const html = await (await fetch(`${baseUrl}/sign-in`)).text();
    const scripts = [...html.matchAll(/<script src="(\/_next\/static\/chunks\/[^"]+\.js)"/g)].map(
      (m) => m[1],
    );
    expect(scripts.length).toBeGreaterThan(0);
    for (const path of scripts) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control'), path).toBe('public, max-age=31536000, immutable');
      // Next.js's own static handler answers with an ETag; ours has no need of one (the name is the hash).
      expect(response.headers.get('etag'), path).toBeNull();
      expect((await response.text()).startsWith('//# allFunctionsCalledOnLoad\n'), path).toBe(true);
    }
  });
});
