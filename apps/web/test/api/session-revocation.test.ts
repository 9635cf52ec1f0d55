import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessions } from '../../src/db/schema/index.ts';
import { SESSION_CACHE_MS } from '../../src/server/session-cache.ts';
import { createContext } from '../../src/server/trpc.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signInAsGuest } from '../support/users.ts';

/**
 * Requests find their session through a short-lived cache (`session-cache.ts`): a session that ends must
 * still stop working, at once when it ends through this process, within the cache's time otherwise.
 */
describe.each(databaseKinds)('ended sessions on %s', (kind) => {
  let runtime: TestRuntime;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
  });
  afterAll(async () => runtime?.dispose());
  afterEach(() => vi.useRealTimers());

  it('refuses a signed-out session on its very next request', async () => {
    const guest = await signInAsGuest(runtime, 'Leaving Wren');
    // The session is in the cache now.
    expect((await createContext(runtime, guest.headers)).userId).toBe(guest.userId);
    const signedOut = await runtime.auth.handler(
      new Request('http://localhost:3000/api/auth/sign-out', {
        method: 'POST',
        headers: { cookie: guest.headers.get('cookie') ?? '', origin: 'http://localhost:3000' },
      }),
    );
    expect(signedOut.status).toBe(200);
    const after = await createContext(runtime, guest.headers);
    expect(after.userId).toBeNull();
    expect(after.actor).toBeNull();
  });

  it('refuses a session deleted elsewhere once the cache time has passed', async () => {
    const guest = await signInAsGuest(runtime, 'Revoked Finch');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    expect((await createContext(runtime, guest.headers)).userId).toBe(guest.userId);
    // As another app process (or an operator in SQL) would: better-auth in this process does not see it.
    await runtime.db.delete(sessions).where(eq(sessions.userId, guest.userId));
    vi.setSystemTime(Date.now() + SESSION_CACHE_MS);
    expect((await createContext(runtime, guest.headers)).userId).toBeNull();
  });
});
