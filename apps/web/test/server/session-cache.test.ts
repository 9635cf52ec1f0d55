import { describe, expect, it } from 'vitest';
import { createSessionCache, type SessionFound } from '../../src/server/session-cache.ts';

/** A lookup that answers from `sessions` (by cookie) and counts how often it was asked. */
function fakeLookup(sessions: Map<string, SessionFound>) {
  const asked: string[] = [];
  return {
    asked,
    lookup: async (headers: Headers) => {
      const cookie = headers.get('cookie') ?? '';
      asked.push(cookie);
      return sessions.get(cookie) ?? null;
    },
  };
}

const session = (token: string, expiresAt = new Date(10_000_000)): SessionFound => ({
  session: { token, expiresAt },
  user: { id: `user-${token}` },
});
const cookie = (value: string) => new Headers({ cookie: value });

describe('session cache', () => {
  it('looks a cookie up once per ttl, and again once the ttl has passed', async () => {
    let time = 1_000;
    const fake = fakeLookup(new Map([['s=a', session('a')]]));
    const cache = createSessionCache(fake.lookup, { ttlMs: 2_000, now: () => time });
    expect(await cache.get(cookie('s=a'))).toEqual(session('a'));
    time += 1_999;
    expect(await cache.get(cookie('s=a'))).toEqual(session('a'));
    expect(fake.asked).toEqual(['s=a']);
    time += 1;
    await cache.get(cookie('s=a'));
    expect(fake.asked).toEqual(['s=a', 's=a']);
  });

  it('keys on the whole Cookie header, so other cookies are looked up on their own', async () => {
    const fake = fakeLookup(new Map([['s=a', session('a')]]));
    const cache = createSessionCache(fake.lookup, { now: () => 0 });
    await cache.get(cookie('s=a'));
    expect(await cache.get(cookie('s=a; theme=dark'))).toBeNull();
    expect(await cache.get(new Headers())).toBeNull();
    expect(fake.asked).toEqual(['s=a', 's=a; theme=dark', '']);
  });

  it('never trusts a session past its expiry', async () => {
    let time = 0;
    const fake = fakeLookup(new Map([['s=a', session('a', new Date(500))]]));
    const cache = createSessionCache(fake.lookup, { ttlMs: 2_000, now: () => time });
    await cache.get(cookie('s=a'));
    time = 500;
    await cache.get(cookie('s=a'));
    expect(fake.asked).toHaveLength(2);
  });

  it('does not keep a missing session: a cookie that signs in later is found at once', async () => {
    const sessions = new Map<string, SessionFound>();
    const fake = fakeLookup(sessions);
    const cache = createSessionCache(fake.lookup, { now: () => 0 });
    expect(await cache.get(cookie('s=a'))).toBeNull();
    sessions.set('s=a', session('a'));
    expect(await cache.get(cookie('s=a'))).toEqual(session('a'));
  });

  it('drops a forgotten session, under every cookie header that carried it', async () => {
    const sessions = new Map([
      ['s=a', session('a')],
      ['s=a; theme=dark', session('a')],
      ['s=b', session('b')],
    ]);
    const fake = fakeLookup(sessions);
    const cache = createSessionCache(fake.lookup, { now: () => 0 });
    for (const key of sessions.keys()) await cache.get(cookie(key));
    sessions.delete('s=a');
    sessions.delete('s=a; theme=dark');
    cache.forget('a');
    expect(await cache.get(cookie('s=a'))).toBeNull();
    expect(await cache.get(cookie('s=a; theme=dark'))).toBeNull();
    expect(await cache.get(cookie('s=b'))).toEqual(session('b'));
    expect(fake.asked.filter((asked) => asked === 's=b')).toHaveLength(1);
  });

  it('shares one lookup between requests that arrive while it runs', async () => {
    const fake = fakeLookup(new Map([['s=a', session('a')]]));
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cache = createSessionCache(
      async (headers: Headers) => {
        await gate;
        return fake.lookup(headers);
      },
      { now: () => 0 },
    );
    const answers = [cache.get(cookie('s=a')), cache.get(cookie('s=a')), cache.get(cookie('s=a'))];
    release();
    expect(await Promise.all(answers)).toEqual([session('a'), session('a'), session('a')]);
    expect(fake.asked).toEqual(['s=a']);
  });

  it('does not keep what a lookup running during a sign-out read', async () => {
    const sessions = new Map([['s=a', session('a')]]);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const cache = createSessionCache(
      async (headers: Headers) => {
        const found = sessions.get(headers.get('cookie') ?? '') ?? null;
        await gate;
        return found;
      },
      { now: () => 0 },
    );
    const before = cache.get(cookie('s=a'));
    sessions.delete('s=a');
    cache.forget('a');
    release();
    expect(await before).toEqual(session('a'));
    expect(await cache.get(cookie('s=a'))).toBeNull();
  });
});
