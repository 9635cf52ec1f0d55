import { TokenVerifier } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import type { BrowserParticipant } from './support/browser-participant.ts';
import { useBrowserStack } from './support/browser-stack.ts';
import { API_KEY, API_SECRET, joinToken, roomService } from './support/tokens.ts';

// No clock-skew leeway, so a join token that has expired is refused at once instead of a minute later.
// A short refresh interval (livekit-server: 5 minutes) so the periodic refresh shows within a test.
const stack = useBrowserStack({ tokenLeewaySeconds: 0, tokenRefreshIntervalMs: 3_000 });
const verifier = new TokenVerifier(API_KEY, API_SECRET);

async function join(
  room: string,
  identity: string,
  token: string | Promise<string> = joinToken(room, identity),
): Promise<{ participant: BrowserParticipant; token: string }> {
  const jwt = await token;
  return { participant: await stack.join(room, identity, { token: jwt }), token: jwt };
}

/** Waits until the SDK holds a token other than `previous` that passes `check`, and returns its claims. */
async function refreshedClaims(
  participant: BrowserParticipant,
  previous: string,
  check: (claims: Awaited<ReturnType<TokenVerifier['verify']>>) => boolean = () => true,
) {
  let claims: Awaited<ReturnType<TokenVerifier['verify']>> | undefined;
  await expect
    .poll(async () => {
      const token = await participant.token();
      if (token === previous) return false;
      claims = await verifier.verify(token);
      return check(claims);
    }, poll)
    .toBe(true);
  return claims as NonNullable<typeof claims>;
}

/** Forces a full reconnect (leave, then a brand-new join with the SDK's current token) and waits for it. */
async function fullReconnect(participant: BrowserParticipant): Promise<void> {
  const before = (await participant.events('reconnected')).length;
  await participant.simulate('full-reconnect');
  await expect
    .poll(async () => {
      const disconnected = await participant.events('disconnected');
      if (disconnected.length > 0) throw new Error(`disconnected: ${JSON.stringify(disconnected)}`);
      return (await participant.events('reconnected')).length;
    }, poll)
    .toBe(before + 1);
}

const poll = { timeout: 15_000, interval: 100 };

describe('refresh_token', () => {
  it('is sent on join, signed with the joining key, carrying the participant as it is', async () => {
    const { participant, token } = await join('refresh-join', 'ann');
    const claims = await refreshedClaims(participant, token);
    expect(claims.iss).toBe(API_KEY);
    expect(claims.sub).toBe('ann');
    expect(claims.name).toBe('ann');
    expect(claims.video).toMatchObject({ roomJoin: true, room: 'refresh-join' });
    // livekit-server: valid 10 minutes, or longer if the join token was.
    expect(claims.exp).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 6 * 60 * 60 - 60);
  });

  it('is sent again every refresh interval', async () => {
    const { participant, token } = await join('refresh-periodic', 'pat');
    await refreshedClaims(participant, token);
    const first = await participant.token();
    const again = await refreshedClaims(participant, first);
    expect(again.sub).toBe('pat');
  });

  it('lets a session whose join token has expired reconnect in full', async () => {
    const { participant, token } = await join(
      'refresh-expired',
      'brief',
      joinToken('refresh-expired', 'brief', {}, { ttl: 10 }),
    );
    const claims = await refreshedClaims(participant, token);
    expect(claims.exp).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 9 * 60);
    const sid = (await participant.local()).sid;
    const expiresAt = ((await verifier.verify(token)).exp ?? 0) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt + 1_100 - Date.now())));
    // The SFU now refuses the join token itself.
    const validate = await fetch(
      `${stack.sfu.url.replace(/^ws/, 'http')}/rtc/validate?access_token=${token}`,
    );
    expect(validate.status).toBe(401);
    await fullReconnect(participant);
    const after = await participant.local();
    expect(after.sid).toMatch(/^PA_/);
    expect(after.sid).not.toBe(sid);
    const listed = await roomService(stack.sfu.url).listParticipants('refresh-expired');
    expect(listed.map((p) => p.sid)).toEqual([after.sid]);
  });

  it('keeps a revoked canPublishData and server-set metadata across a full reconnect', async () => {
    const { participant: eve, token } = await join('refresh-revoke', 'eve');
    const { participant: watcher } = await join('refresh-revoke', 'watcher');
    const api = roomService(stack.sfu.url);
    await api.updateParticipant('refresh-revoke', 'eve', {
      metadata: 'set-by-server',
      permission: { canSubscribe: true, canPublish: false, canPublishData: false } as never,
    });
    await refreshedClaims(
      eve,
      token,
      (claims) => claims.metadata === 'set-by-server' && claims.video?.canPublishData === false,
    );
    await fullReconnect(eve);

    const info = await api.getParticipant('refresh-revoke', 'eve');
    expect(info.metadata).toBe('set-by-server');
    expect(info.permission?.canPublishData).toBe(false);
    await expect
      .poll(() => eve.local(), poll)
      .toMatchObject({
        metadata: 'set-by-server',
        canPublishData: false,
      });
    await eve.publish('after-revoke').catch(() => {});
    await api.sendData('refresh-revoke', new TextEncoder().encode('marker'), 0 as never, {
      destinationIdentities: ['watcher'],
    });
    await expect.poll(() => watcher.received(), poll).toContain('-||marker');
    expect(await watcher.received()).not.toContain('eve||after-revoke');
  });
});
