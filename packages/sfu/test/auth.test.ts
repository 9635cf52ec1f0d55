import { ParticipantInfo_Kind, ParticipantPermission, TrackSource } from '@livekit/protocol';
import { SignJWT } from 'jose';
import { AccessToken } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import {
  AuthError,
  grantWithPermission,
  kindFromClaim,
  parseKeys,
  permissionFromGrant,
  requireJoinGrant,
  verifyAccessToken,
} from '../src/auth/index.ts';

const keys = { devkey: 'secret-that-is-long-enough-for-hs256' };

async function token(grant: ConstructorParameters<typeof AccessToken>[2], video: object, secret?: string) {
  const at = new AccessToken('devkey', secret ?? keys.devkey, grant);
  at.addGrant(video);
  return at.toJwt();
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe('verifyAccessToken', () => {
  it('accepts a livekit-server-sdk token and reads identity, room and claims', async () => {
    const jwt = await token(
      { identity: 'alice', name: 'Alice', metadata: 'm', attributes: { a: '1' } },
      { roomJoin: true, room: 'r1' },
    );
    const claims = await verifyAccessToken(jwt, keys);
    expect(claims.identity).toBe('alice');
    expect(claims.iss).toBe('devkey');
    expect(claims.name).toBe('Alice');
    expect(claims.metadata).toBe('m');
    expect(claims.attributes).toEqual({ a: '1' });
    expect(requireJoinGrant(claims, 256)).toEqual({ room: 'r1', identity: 'alice' });
  });

  it('refuses a token signed with another secret', async () => {
    const jwt = await token(
      { identity: 'a' },
      { roomJoin: true, room: 'r' },
      'another-secret-another-secret',
    );
    const error = await rejection(verifyAccessToken(jwt, keys));
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/signature/);
  });

  it('refuses an unknown API key, a malformed JWT and an expired token', async () => {
    const unknown = await new AccessToken('otherkey', 'x'.repeat(32), { identity: 'a' }).toJwt();
    expect((await rejection(verifyAccessToken(unknown, keys))).message).toBe('invalid API key');
    expect((await rejection(verifyAccessToken('not.a.jwt', keys))).status).toBe(401);
    const expired = await new SignJWT({ video: { roomJoin: true, room: 'r' } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('devkey')
      .setSubject('a')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(keys.devkey));
    expect((await rejection(verifyAccessToken(expired, keys))).message).toMatch(/expired/);
  });

  it('requires exp', async () => {
    const noExp = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('devkey')
      .setSubject('a')
      .sign(new TextEncoder().encode(keys.devkey));
    expect((await rejection(verifyAccessToken(noExp, keys))).status).toBe(401);
  });

  it('tolerates clock skew within the leeway', async () => {
    const skewed = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('devkey')
      .setSubject('a')
      .setNotBefore(Math.floor(Date.now() / 1000) + 30)
      .setExpirationTime(Math.floor(Date.now() / 1000) + 600)
      .sign(new TextEncoder().encode(keys.devkey));
    expect((await verifyAccessToken(skewed, keys)).identity).toBe('a');
  });
});

describe('requireJoinGrant', () => {
  it('answers 401 without roomJoin and 400 without a room', async () => {
    const noJoin = await verifyAccessToken(await token({ identity: 'a' }, { room: 'r' }), keys);
    expect(() => requireJoinGrant(noJoin, 256)).toThrow(expect.objectContaining({ status: 401 }));
    const noRoom = await verifyAccessToken(await token({ identity: 'a' }, { roomJoin: true }), keys);
    expect(() => requireJoinGrant(noRoom, 256)).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe('permissionFromGrant', () => {
  it('defaults publish, subscribe and data to true and metadata updates to false', () => {
    const permission = permissionFromGrant({});
    expect(permission.canPublish).toBe(true);
    expect(permission.canSubscribe).toBe(true);
    expect(permission.canPublishData).toBe(true);
    expect(permission.canUpdateMetadata).toBe(false);
  });

  it('makes canPublishData follow canPublish when unset', () => {
    expect(permissionFromGrant({ canPublish: false }).canPublishData).toBe(false);
    expect(permissionFromGrant({ canPublish: false, canPublishData: true }).canPublishData).toBe(true);
  });

  it('maps sources, hidden and the participant kind', () => {
    const permission = permissionFromGrant({ canPublishSources: ['camera', 'bogus'], hidden: true });
    expect(permission.canPublishSources).toEqual([TrackSource.CAMERA]);
    expect(permission.hidden).toBe(true);
    expect(kindFromClaim('agent')).toBe(ParticipantInfo_Kind.AGENT);
    expect(kindFromClaim(undefined)).toBe(ParticipantInfo_Kind.STANDARD);
  });
});

describe('grantWithPermission', () => {
  it('replaces the participant permissions and keeps the room fields, so the grant reads back the same', () => {
    const permission = new ParticipantPermission({
      canSubscribe: true,
      canPublishData: false,
      canPublishSources: [TrackSource.MICROPHONE],
      canUpdateMetadata: true,
    });
    const video = grantWithPermission({ roomJoin: true, room: 'r', canPublishData: true }, permission);
    expect(video).toMatchObject({ roomJoin: true, room: 'r', canPublishData: false, canPublish: false });
    expect(video.canPublishSources).toEqual(['microphone']);
    expect(permissionFromGrant(video)).toEqual(permission);
  });
});

describe('parseKeys', () => {
  it('reads comma and newline separated livekit-server key lists', () => {
    expect(parseKeys('k1: s1, k2: s2')).toEqual({ k1: 's1', k2: 's2' });
    expect(parseKeys('k1: s1\nk2: s2\n')).toEqual({ k1: 's1', k2: 's2' });
  });

  it('names the bad entry', () => {
    expect(() => parseKeys('k1 s1')).toThrow(/"k1 s1"/);
    expect(() => parseKeys('')).toThrow(/no API keys/);
  });
});
