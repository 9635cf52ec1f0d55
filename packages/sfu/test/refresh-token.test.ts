import { launchChromium } from '@rhizom/testing';
import { TokenVerifier } from 'livekit-server-sdk';
import { pino } from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SfuServer, startSfu } from '../src/start.ts';
import { servePage } from './support/browser.ts';
import { BrowserParticipant } from './support/browser-participant.ts';
import { API_KEY, API_SECRET, joinToken, KEYS, roomService } from './support/tokens.ts';

let sfu: SfuServer;
let browser: Browser;
let page: { url: string; close(): Promise<void> };
const joined: BrowserParticipant[] = [];
const verifier = new TokenVerifier(API_KEY, API_SECRET);

beforeAll(async () => {
  // No clock-skew leeway, so a join token that has expired is refused at once instead of a minute later.
  // A short refresh interval (livekit-server: 5 minutes) so the periodic refresh shows within a test.
  sfu = await startSfu({
    port: 0,
    keys: KEYS,
    tokenLeewaySeconds: 0,
    tokenRefreshIntervalMs: 3_000,
    logger: pino({ level: 'warn' }),
  });
  [browser, page] = await Promise.all([launchChromium(), servePage()]);
});

afterAll(async () => {
  await Promise.all(joined.map((p) => p.close()));
  await browser?.close();
  await page?.close();
  await sfu?.close();
});

async function join(
  room: string,
  identity: string,
  token: string | Promise<string> = joinToken(room, identity),
): Promise<{ participant: BrowserParticipant; token: string }> {
  const jwt = await token;
  const participant = await BrowserParticipant.join(browser, page.url, sfu.url, jwt, identity);
  joined.push(participant);
  return { participant, token: jwt };
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
    const validate = await fetch(`${sfu.url.replace(/^ws/, 'http')}/rtc/validate?access_token=${token}`);
    expect(validate.status).toBe(401);
    await fullReconnect(participant);
    const after = await participant.local();
    expect(after.sid).toMatch(/^PA_/);
    expect(after.sid).not.toBe(sid);
    const listed = await roomService(sfu.url).listParticipants('refresh-expired');
    expect(listed.map((p) => p.sid)).toEqual([after.sid]);
  });

  it('keeps a revoked canPublishData and server-set metadata across a full reconnect', async () => {
    const { participant: eve, token } = await join('refresh-revoke', 'eve');
    const { participant: watcher } = await join('refresh-revoke', 'watcher');
    const api = roomService(sfu.url);
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
