import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Room } from '@livekit/rtc-node';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { expect, test } from 'vitest';
import { SEED_SPACE_ID } from '../src/domain/seed.ts';
import { startAppServer } from './support/app-server.ts';
import { freePort } from './support/free-port.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));

/** A token for the seeded space's room, as anyone holding `key`/`secret` could sign one. */
async function joinToken(key: string, secret: string): Promise<string> {
  const token = new AccessToken(key, secret, { identity: `intruder-${key}` });
  token.addGrant({ roomJoin: true, room: SEED_SPACE_ID, canSubscribe: true, hidden: true });
  return token.toJwt();
}

/** A `participant_joined` webhook signed the way LiveKit signs them (JWT with the body's SHA-256). */
async function webhook(key: string, secret: string): Promise<{ body: string; authorization: string }> {
  const body = JSON.stringify({
    event: 'participant_joined',
    id: `EV_${key}`,
    createdAt: String(Math.floor(Date.now() / 1000)),
    room: { name: SEED_SPACE_ID },
    participant: { identity: `@forged#${key}`, attributes: { beingId: '@forged' } },
  });
  const token = new AccessToken(key, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await token.toJwt() };
}

test('npm start on a fresh data dir generates its own LiveKit key pair: devkey/secret open nothing', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'rhizom-secrets-'));
  const sfuPort = await freePort();
  const server = await startAppServer(appDir, { SFU_PORT: String(sfuPort), RHIZOM_DATA_DIR: dataDir });
  const rooms: Room[] = [];
  try {
    const sfuUrl = `ws://127.0.0.1:${sfuPort}`;
    const apiKey = readFileSync(join(dataDir, 'livekit-api-key'), 'utf8').trim();
    const apiSecret = readFileSync(join(dataDir, 'livekit-api-secret'), 'utf8').trim();
    expect(apiKey).not.toBe('devkey');
    expect(apiSecret).not.toBe('secret');
    expect(apiSecret.length).toBeGreaterThanOrEqual(32);

    // Twirp (RoomService): the published pair is refused, the install's own pair is served.
    const http = `http://127.0.0.1:${sfuPort}`;
    await expect(new RoomServiceClient(http, 'devkey', 'secret').listRooms()).rejects.toMatchObject({
      status: 401,
    });
    await expect(new RoomServiceClient(http, apiKey, apiSecret).listRooms()).resolves.toBeInstanceOf(Array);

    // Joining a room with the official SDK: refused with devkey/secret, accepted with the install's pair.
    const intruder = new Room();
    rooms.push(intruder);
    await expect(intruder.connect(sfuUrl, await joinToken('devkey', 'secret'))).rejects.toThrow();
    expect(intruder.isConnected).toBe(false);
    const insider = new Room();
    rooms.push(insider);
    await insider.connect(sfuUrl, await joinToken(apiKey, apiSecret));
    expect(insider.isConnected).toBe(true);

    // The app's webhook endpoint: a devkey-signed event is rejected; one signed with the pair is taken.
    const post = async (key: string, secret: string) => {
      const { body, authorization } = await webhook(key, secret);
      return fetch(`${server.url}/api/livekit/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/webhook+json', authorization },
        body,
      });
    };
    expect((await post('devkey', 'secret')).status).toBe(401);
    expect((await post(apiKey, apiSecret)).status).toBe(200);
  } finally {
    for (const room of rooms) await room.disconnect().catch(() => {});
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
