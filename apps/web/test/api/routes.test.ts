import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureLogs } from '../support/log-capture.ts';

/**
 * The Next.js route handlers as the server calls them, on the process runtime from `getRuntime()`
 * (PGlite in a temporary data directory; DATABASE_URL is ignored here so CI's shared database stays clean).
 */
describe('API routes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rhizom-routes-'));
  const saved = { ...process.env };
  let routes: {
    auth: typeof import('../../src/app/api/auth/[...all]/route.ts');
    trpc: typeof import('../../src/app/api/trpc/[trpc]/route.ts');
    runtime: typeof import('../../src/server/runtime.ts');
  };

  beforeAll(async () => {
    process.env.RHIZOM_DATA_DIR = dataDir;
    process.env.DATABASE_URL = '';
    process.env.LOG_LEVEL = 'silent';
    routes = {
      auth: await import('../../src/app/api/auth/[...all]/route.ts'),
      trpc: await import('../../src/app/api/trpc/[trpc]/route.ts'),
      runtime: await import('../../src/server/runtime.ts'),
    };
    // Open (migrate, seed) the runtime here, under the hook's longer timeout, not inside the first test.
    await routes.runtime.getRuntime();
  });

  afterAll(async () => {
    await (await routes?.runtime.getRuntime())?.close();
    process.env = saved;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const base = 'http://localhost:3000';

  it('signs a guest in, then reads and writes through tRPC with the session cookie', async () => {
    const { logger, lines } = captureLogs();
    (await routes.runtime.getRuntime()).logger = logger;
    const signIn = await routes.auth.POST(
      new Request(`${base}/api/auth/sign-in/anonymous`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ name: 'Route Moth' }),
      }),
    );
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');

    const me = await routes.trpc.GET(new Request(`${base}/api/trpc/being.me`, { headers: { cookie } }));
    expect(me.status).toBe(200);
    expect(((await me.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id).toBe(
      '@route-moth',
    );
    // One access line per request: method, route (naming the procedure), status, duration, being.
    const access = lines.filter((line) => line.component === 'http');
    expect(access).toEqual([
      expect.objectContaining({ method: 'POST', route: '/api/auth/sign-in/anonymous', status: 200 }),
      expect.objectContaining({
        method: 'GET',
        route: '/api/trpc/being.me',
        status: 200,
        being: '@route-moth',
      }),
    ]);
    for (const line of access) expect(line.ms).toEqual(expect.any(Number));

    const mutate = (path: string, json: unknown) =>
      routes.trpc.POST(
        new Request(`${base}/api/trpc/${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: JSON.stringify({ json }),
        }),
      );
    // A space of its own, with no bot in it to answer.
    expect((await mutate('being.create', { name: 'Route Space', type: 'space' })).status).toBe(200);
    const post = await mutate('intention.createUtterance', {
      spaceId: '@route-space',
      content: 'through the route',
    });
    expect(post.status).toBe(200);
  });

  it('answers bad input and missing sessions with a readable message and the right status', async () => {
    const anonymous = await routes.trpc.POST(
      new Request(`${base}/api/trpc/intention.createUtterance`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { spaceId: '@intraliminal', content: 'hi' } }),
      }),
    );
    expect(anonymous.status).toBe(401);
    const bad = await routes.trpc.GET(
      new Request(
        `${base}/api/trpc/being.get?input=${encodeURIComponent(JSON.stringify({ json: { id: 'nope' } }))}`,
      ),
    );
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as {
      error: { json: { message: string; data: { zodIssues: unknown[] } } };
    };
    expect(body.error.json.message).toMatch(/^id: Being ids look like @my-space/);
    expect(body.error.json.data.zodIssues).toHaveLength(1);
  });

  it('keeps one runtime per process', async () => {
    expect(await routes.runtime.getRuntime()).toBe(await routes.runtime.getRuntime());
  });
});
