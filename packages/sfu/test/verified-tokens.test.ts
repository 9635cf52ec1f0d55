import { AccessToken } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../src/auth/verified-tokens.ts';

const KEY = 'devkey';
const SECRET = 'secret-secret-secret-secret-secret';

async function adminToken(ttlSeconds: number, secret = SECRET): Promise<string> {
  const token = new AccessToken(KEY, secret, { ttl: ttlSeconds });
  token.addGrant({ roomAdmin: true, room: '@r' });
  return token.toJwt();
}

describe('token verifier that remembers verified tokens', () => {
  it('accepts a token it verified again, with the same claims, until it expires (with the leeway)', async () => {
    let now = Date.now();
    const verify = createTokenVerifier({ [KEY]: SECRET }, { now: () => now });
    const token = await adminToken(60);
    const claims = await verify(token);
    expect(claims.video).toMatchObject({ roomAdmin: true, room: '@r' });
    await expect(verify(token)).resolves.toBe(claims);
    // exp is 60 s away, the leeway another 60 s: 118 s later it still holds, 122 s later it does not.
    now += 118_000;
    await expect(verify(token)).resolves.toBe(claims);
    now += 4_000;
    await expect(verify(token)).rejects.toMatchObject({
      status: 401,
      message: 'invalid token: token is expired',
    });
  });

  it('verifies every other string: a token with one byte changed, or signed with another secret, is refused', async () => {
    const verify = createTokenVerifier({ [KEY]: SECRET });
    const token = await adminToken(60);
    await verify(token);
    const [header, payload, signature = ''] = token.split('.');
    const flipped = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'AB' : 'AA'}`;
    await expect(verify(flipped)).rejects.toMatchObject({ status: 401 });
    const forged = await adminToken(60, 'another-secret-another-secret-an');
    await expect(verify(forged)).rejects.toMatchObject({ status: 401 });
    await expect(verify(forged)).rejects.toMatchObject({ status: 401 });
  });

  it('forgets the oldest token past its size and verifies it again on its next use', async () => {
    const verify = createTokenVerifier({ [KEY]: SECRET }, { maxTokens: 2 });
    const tokens = [await adminToken(60), await adminToken(61), await adminToken(62)];
    const claims = await Promise.all(tokens.map((token) => verify(token)));
    // The first was forgotten: it verifies again into a new claims object; the last is remembered.
    await expect(verify(tokens[0] ?? '')).resolves.not.toBe(claims[0]);
    await expect(verify(tokens[2] ?? '')).resolves.toBe(claims[2]);
  });
});
