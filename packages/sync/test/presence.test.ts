import { createHash } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type SyncServer, startSyncServer } from '../src/server/start.ts';
import { createTestDatabase, outboxProjection, type TestDatabase } from './support/database.ts';
import { quietLogger } from './support/fixtures.ts';

/** Webhooks as LiveKit signs them: an Authorization JWT whose sha256 claim is the body's hash. */
const KEY = 'hookkey';
const SECRET = 'presence-test-secret-long-enough-for-hs256';

async function signed(body: string, secret = SECRET): Promise<string> {
  const token = new AccessToken(KEY, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return token.toJwt();
}

const event = (name: string, identity: string, beingId: string) =>
  JSON.stringify({
    event: name,
    id: `EV_${identity}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { name: '@s' },
    participant: { identity, attributes: { beingId } },
  });

describe('presence from webhooks', () => {
  let test: TestDatabase;
  let sync: SyncServer;

  beforeAll(async () => {
    test = await createTestDatabase();
    sync = startSyncServer({
      db: test.db,
      logger: quietLogger,
      livekit: { url: 'http://127.0.0.1:9', apiKey: KEY, apiSecret: SECRET },
      loadSpace: outboxProjection,
    });
  });
  beforeEach(() => test.reset());
  afterAll(async () => {
    await sync.close();
    await test.close();
  });

  it('groups connections by being and forgets them when they leave', async () => {
    for (const body of [
      event('participant_joined', '@ada#1', '@ada'),
      event('participant_joined', '@ada#2', '@ada'),
      event('participant_joined', '@bob#1', '@bob'),
    ]) {
      await sync.receiveWebhook(body, await signed(body));
    }
    expect((await sync.presence.list('@s')).map((e) => [e.beingId, e.connections])).toEqual([
      ['@ada', 2],
      ['@bob', 1],
    ]);
    const left = event('participant_left', '@ada#1', '@ada');
    await sync.receiveWebhook(left, await signed(left));
    expect((await sync.presence.list('@s')).map((e) => [e.beingId, e.connections])).toEqual([
      ['@ada', 1],
      ['@bob', 1],
    ]);
  });

  it('rejects an unsigned, wrongly signed or tampered webhook and changes nothing', async () => {
    const body = event('participant_joined', '@eve#1', '@eve');
    await expect(sync.receiveWebhook(body, undefined)).rejects.toThrow();
    await expect(
      sync.receiveWebhook(body, await signed(body, 'another-secret-another-secret-1234')),
    ).rejects.toThrow();
    const other = event('participant_joined', '@eve#2', '@eve');
    await expect(sync.receiveWebhook(other, await signed(body))).rejects.toThrow();
    expect(await sync.presence.list('@s')).toEqual([]);
  });
});
