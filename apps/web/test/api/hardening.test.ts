import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beings } from '../../src/db/schema/index.ts';
import { configFromEnv } from '../../src/server/config.ts';
import { handleTrpcRequest } from '../../src/server/trpc-http.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signInAsGuest, type TestUser } from '../support/users.ts';

/**
 * The tRPC HTTP surface as an attacker uses it: too much work in one request or one burst, input the
 * database cannot store, and errors that could leak internals. Every answer must be a 4xx with a readable
 * message, and a server fault must say nothing about SQL.
 */
const base = 'http://localhost:3000/api/trpc';

describe.each(databaseKinds)('HTTP hardening on %s', (kind) => {
  let runtime: TestRuntime;
  let moth: TestUser;
  let guests = 0;
  // Refused writes count against the write rate too (it is taken before any work): one guest per case.
  const freshGuest = () => signInAsGuest(runtime, `Hard Moth ${++guests}`);

  beforeAll(async () => {
    runtime = await testRuntime(kind, { writeRate: { writes: 5, windowMs: 60_000 } });
    moth = await freshGuest();
  });
  afterAll(async () => runtime?.dispose());

  const call = (user: TestUser, path: string, json: unknown) => {
    const cookie = user.headers.get('cookie') ?? '';
    const query = path.endsWith('.search');
    return handleTrpcRequest(
      runtime,
      query
        ? new Request(`${base}/${path}?input=${encodeURIComponent(JSON.stringify({ json }))}`, {
            headers: { cookie },
          })
        : new Request(`${base}/${path}`, {
            method: 'POST',
            headers: { cookie, 'content-type': 'application/json' },
            body: JSON.stringify({ json }),
          }),
    );
  };
  const messageOf = async (response: Response) =>
    ((await response.json()) as { error: { json: { message: string } } }).error.json.message;

  it('refuses a batch of more than 20 calls before running any of them', async () => {
    const paths = Array.from({ length: 21 }, () => 'being.create').join(',');
    const input = Object.fromEntries(
      Array.from({ length: 21 }, (_, i) => [i, { json: { name: `Batch ${i}`, type: 'document' } }]),
    );
    const response = await handleTrpcRequest(
      runtime,
      new Request(`${base}/${paths}?batch=1`, {
        method: 'POST',
        headers: { cookie: moth.headers.get('cookie') ?? '', 'content-type': 'application/json' },
        body: JSON.stringify(input),
      }),
    );
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('Batch call exceeds maximum size');
    const made = await runtime.db.select().from(beings).where(sql`${beings.name} like 'Batch %'`);
    expect(made).toEqual([]);
  });

  it.each([
    [
      'a NUL byte in a message',
      'intention.createUtterance',
      { spaceId: '@intraliminal', content: 'a\u0000b' },
      /^content: Text cannot contain NUL/,
    ],
    [
      'a lone surrogate in a name',
      'being.create',
      { name: 'bad \uD800 name', type: 'document' },
      /^name: Text cannot contain unpaired surrogates/,
    ],
    [
      'a NUL byte in content',
      'being.create',
      { name: 'Doc', type: 'document', content: '\u0000' },
      /^content: Text cannot contain NUL/,
    ],
    [
      'a NUL byte in a property key',
      'being.create',
      { name: 'Doc', type: 'document', properties: { 'k\u0000': 1 } },
      /^properties: Text cannot contain NUL/,
    ],
    [
      'a NUL byte in a property value',
      'being.create',
      { name: 'Doc', type: 'document', properties: { k: ['x\u0000'] } },
      /^properties: Text cannot contain NUL/,
    ],
    ['a search query with NUL', 'being.search', { query: '\u0000' }, /^query: Text cannot contain NUL/],
  ])('answers %s with 400 naming the field', async (_what, path, json, message) => {
    const response = await call(await freshGuest(), path, json);
    expect(response.status).toBe(400);
    expect(await messageOf(response)).toMatch(message);
  });

  it('answers properties nested 2,000 deep or with 5,000 keys with 400, not a stack overflow', async () => {
    const moth = await freshGuest();
    let deep: unknown = 1;
    for (let i = 0; i < 2_000; i++) deep = { d: deep };
    const nested = await call(moth, 'being.create', { name: 'Deep', type: 'document', properties: { deep } });
    expect(nested.status).toBe(400);
    expect(await messageOf(nested)).toBe('properties: Properties can nest at most 16 levels deep.');
    const wide = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`k${i}`, 0]));
    const many = await call(moth, 'being.create', { name: 'Wide', type: 'document', properties: wide });
    expect(many.status).toBe(400);
    expect(await messageOf(many)).toBe('properties: Properties can hold at most 1000 keys and items in all.');
  });

  it('removes bidi overrides and zero-width characters from names as they are written', async () => {
    const response = await call(await freshGuest(), 'being.create', {
      name: 'evil\u202Etxt.exe\u200B\u2066',
      type: 'document',
    });
    expect(response.status).toBe(200);
    const created = (await response.json()) as { result: { data: { json: { name: string } } } };
    expect(created.result.data.json.name).toBe('eviltxt.exe');
  });

  it('refuses an email sign-up whose name holds a NUL byte with 400', async () => {
    const response = await runtime.auth.handler(
      new Request('http://localhost:3000/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({
          name: 'Nul\u0000Name',
          email: 'nul@example.test',
          password: 'correct horse battery',
        }),
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Text cannot contain NUL');
  });

  it('throttles one being past its write rate with 429 and Retry-After; others still write', async () => {
    const fox = await signInAsGuest(runtime, 'Rate Fox');
    const statuses: number[] = [];
    let refused: Response | undefined;
    for (let i = 0; i < 7; i++) {
      const response = await call(fox, 'intention.createUtterance', {
        spaceId: '@intraliminal',
        content: `n${i}`,
      });
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await messageOf(refused as Response)).toMatch(
      /^Too many changes: at most 5 every 60 s\. Try again in \d+ s\.$/,
    );
    const owl = await signInAsGuest(runtime, 'Rate Owl');
    expect(
      (await call(owl, 'intention.createUtterance', { spaceId: '@intraliminal', content: 'hi' })).status,
    ).toBe(200);
  });

  it('answers a server fault with a fixed sentence: no SQL, parameters or stack', async () => {
    const owl = await signInAsGuest(runtime, 'Fault Owl');
    await runtime.db.execute(sql`alter table intentions rename to intentions_gone`);
    try {
      const response = await call(owl, 'intention.createUtterance', {
        spaceId: '@intraliminal',
        content: 'secret-param',
      });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(text).toContain('Something went wrong on the server');
      expect(text).not.toMatch(/insert|select|intentions|secret-param|Failed query|at .*\.ts/i);
    } finally {
      await runtime.db.execute(sql`alter table intentions_gone rename to intentions`);
    }
  });
});

describe('write rate configuration', () => {
  it('defaults to 30 writes per 10 s and reads WRITE_RATE_LIMIT / WRITE_RATE_WINDOW_MS', () => {
    expect(
      configFromEnv({ RHIZOM_DATA_DIR: '/tmp/rhizom-config-test', BETTER_AUTH_SECRET: 's' }).writeRate,
    ).toEqual({
      writes: 30,
      windowMs: 10_000,
    });
    expect(
      configFromEnv({ BETTER_AUTH_SECRET: 's', WRITE_RATE_LIMIT: '5', WRITE_RATE_WINDOW_MS: '1000' })
        .writeRate,
    ).toEqual({ writes: 5, windowMs: 1_000 });
    expect(() => configFromEnv({ BETTER_AUTH_SECRET: 's', WRITE_RATE_LIMIT: 'many' })).toThrow(
      /WRITE_RATE_LIMIT must be a positive whole number/,
    );
  });
});
