import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LiveSyncUnavailable, startSyncServer } from '../src/server/start.ts';
import { createTestDatabase, type TestDatabase } from './support/database.ts';
import { quietLogger } from './support/fixtures.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase('pglite');
});
afterAll(() => test.close());

describe('sync server without LiveKit', () => {
  it('keeps catch-up working and refuses join tokens and webhooks with what to configure', async () => {
    const sync = startSyncServer({
      db: test.db,
      logger: quietLogger,
      loadSpace: async () => ({ beings: [], intentions: [] }),
    });
    try {
      expect(sync.broadcaster).toBeNull();
      const snapshot = await sync.snapshot('@quiet');
      expect(snapshot).toMatchObject({ space: '@quiet', seq: 0, beings: [], intentions: [] });
      const refused = sync.joinToken({ space: '@a', beingId: null, name: 'Visitor' });
      await expect(refused).rejects.toBeInstanceOf(LiveSyncUnavailable);
      await expect(refused).rejects.toThrow(/set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET/);
      await expect(sync.receiveWebhook('{}', undefined)).rejects.toBeInstanceOf(LiveSyncUnavailable);
    } finally {
      await sync.close();
    }
  });

  // An app bundler can load this module twice (Next.js: instrumentation and route handlers); the app's
  // API must still recognise the error thrown by the copy that runs the sync server.
  it('is recognised as LiveSyncUnavailable by another copy of the module', async () => {
    vi.resetModules();
    const other = await import('../src/server/start.ts');
    expect(other.LiveSyncUnavailable).not.toBe(LiveSyncUnavailable);
    expect(new LiveSyncUnavailable()).toBeInstanceOf(other.LiveSyncUnavailable);
    expect(new Error('Live sync is off')).not.toBeInstanceOf(other.LiveSyncUnavailable);
  });
});
