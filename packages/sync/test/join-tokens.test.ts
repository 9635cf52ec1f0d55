import { describe, expect, it } from 'vitest';
import { JoinTokens, reusableMs } from '../src/client/join-tokens.ts';

/** An unsigned JWT with these claims: the client reads them, only the server verifies. */
function jwt(claims: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256' })}.${part(claims)}.signature`;
}

describe('reusableMs', () => {
  it('is half the lifetime the token claims, whatever the clocks say', () => {
    expect(reusableMs(jwt({ nbf: 1_000, exp: 1_120, name: 'Zoë' }))).toBe(60_000);
    expect(reusableMs(jwt({ iat: 5, exp: 65 }))).toBe(30_000);
  });

  it('is 0 for a token it cannot read', () => {
    for (const token of [
      't',
      'a.b.c',
      jwt({ exp: 100 }),
      jwt({ nbf: 100, exp: 100 }),
      jwt({ nbf: '1', exp: 9 }),
    ]) {
      expect(reusableMs(token)).toBe(0);
    }
  });
});

describe('JoinTokens', () => {
  it('reuses one token until a session joins with it, the server refuses it, or half its life is gone', async () => {
    let now = 0;
    let fetches = 0;
    const tokens = new JoinTokens(
      async () => {
        fetches++;
        return { url: 'ws://sfu', token: jwt({ nbf: 0, exp: 120, n: fetches }) };
      },
      () => now,
    );
    const first = await tokens.get();
    now = 59_000;
    expect(await tokens.get()).toEqual(first);
    expect(fetches).toBe(1);
    now = 60_000;
    const second = await tokens.get();
    expect(second).not.toEqual(first);
    tokens.drop();
    expect(await tokens.get()).not.toEqual(second);
    expect(fetches).toBe(3);
  });

  it('fetches every time when the token says nothing of its lifetime', async () => {
    let fetches = 0;
    const tokens = new JoinTokens(async () => ({ url: 'ws://sfu', token: `t${++fetches}` }));
    await tokens.get();
    await tokens.get();
    expect(fetches).toBe(2);
  });
});
