import type { Room } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { SyncClient } from '../src/client/sync-client.ts';
import type { SyncApi } from '../src/client/types.ts';
import { unusedKeys } from './support/fixtures.ts';

/** Ref counting and the grace period, with a server that answers when the test says so. */
function deferredApi() {
  let releaseToken: (value: { url: string; token: string }) => void = () => {};
  const calls = { snapshot: 0, token: 0 };
  const keys = unusedKeys();
  const api: SyncApi = {
    snapshot: async (space) => {
      calls.snapshot++;
      return { space, epoch: 'e', seq: 0, beings: [], intentions: [], keys };
    },
    since: async (request) => ({
      kind: 'events',
      space: request.space,
      epoch: 'e',
      afterSeq: request.afterSeq,
      events: [],
      keys,
    }),
    keys: async () => keys,
    joinToken: () => {
      calls.token++;
      return new Promise((resolve) => {
        releaseToken = resolve;
      });
    },
  };
  return { api, calls, answerToken: () => releaseToken({ url: 'ws://127.0.0.1:1', token: 't' }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SyncClient', () => {
  it('shares one connection per space between users and keeps it through a quick remount', async () => {
    const { api, calls } = deferredApi();
    const client = new SyncClient({ api, graceMs: 50, connection: { page: null } });
    const releaseA = client.retain('@s');
    const releaseB = client.retain('@s');
    expect(client.get('@s')).toBe(client.get('@s'));
    releaseA();
    releaseB();
    const again = client.retain('@s');
    await sleep(80);
    expect(client.size).toBe(1);
    expect(calls.token).toBe(1);
    again();
    await sleep(80);
    expect(client.size).toBe(0);
    await client.close();
  });

  it('does not create a room when the last user left while the token request was pending', async () => {
    const { api, answerToken } = deferredApi();
    let roomsCreated = 0;
    const client = new SyncClient({
      api,
      graceMs: 10,
      connection: {
        page: null,
        createRoom: () => {
          roomsCreated++;
          throw new Error('no room should be created after close');
        },
      },
    });
    const connection = client.get('@s');
    const release = client.retain('@s');
    release();
    await sleep(40);
    expect(connection.isClosed).toBe(true);
    answerToken();
    await sleep(20);
    expect(roomsCreated).toBe(0);
    expect(connection.currentRoom satisfies Room | null).toBeNull();
    await client.close();
  });

  it('a released function called twice does not release someone else', async () => {
    const { api } = deferredApi();
    const client = new SyncClient({ api, graceMs: 10, connection: { page: null } });
    const first = client.retain('@s');
    const second = client.retain('@s');
    first();
    first();
    await sleep(30);
    expect(client.get('@s').isClosed).toBe(false);
    second();
    await client.close();
  });
});
