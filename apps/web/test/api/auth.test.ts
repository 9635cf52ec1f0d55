import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accounts, beings, sessions, users } from '../../src/db/schema/index.ts';
import { createAuth } from '../../src/server/auth.ts';
import { createLogger } from '../../src/server/logger.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { guestRequest, signInAsGuest, signUp } from '../support/users.ts';

describe.each(databaseKinds)('auth on %s', (kind) => {
  let runtime: TestRuntime;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
  });
  afterAll(async () => runtime?.dispose());

  it('gives a new email user exactly one guest being, named after them and owning itself', async () => {
    const ada = await signUp(runtime, 'Ada Lovelace');
    const [user] = await runtime.db.select().from(users).where(eq(users.id, ada.userId));
    expect(user?.beingId).toBe(ada.actor.beingId);
    expect(ada.actor).toEqual({ beingId: '@ada-lovelace', superuser: false });
    const me = await ada.api.being.me();
    expect(me).toMatchObject({
      id: '@ada-lovelace',
      name: 'Ada Lovelace',
      type: 'guest',
      ownerId: '@ada-lovelace',
    });
    // Sessions are rows in the database.
    const [stored] = await runtime.db
      .select({ n: count() })
      .from(sessions)
      .where(eq(sessions.userId, ada.userId));
    expect(stored?.n).toBe(1);
  });

  it('creates one being even when a user’s first requests race', async () => {
    const bea = await signUp(runtime, 'Bea');
    await runtime.db.update(users).set({ beingId: null }).where(eq(users.id, bea.userId));
    const ids = await Promise.all(
      Array.from({ length: 5 }, () => runtime.domain.users.ensureBeing(bea.userId)),
    );
    expect(new Set(ids).size).toBe(1);
    const owned = await runtime.db.select().from(beings).where(eq(beings.name, 'Bea'));
    // The first being (from sign-up) was unlinked above; exactly one more was made for the five requests.
    expect(owned).toHaveLength(2);
  });

  it('signs a guest in with the display name they chose', async () => {
    const guest = await signInAsGuest(runtime, '  Wandering Moth ');
    const me = await guest.api.being.me();
    expect(me).toMatchObject({ name: 'Wandering Moth', type: 'guest', id: '@wandering-moth' });
    const [user] = await runtime.db.select().from(users).where(eq(users.id, guest.userId));
    expect(user?.isAnonymous).toBe(true);
  });

  it('lets a guest sign up and keep their being and what they posted', async () => {
    const guest = await signInAsGuest(runtime, 'Passing Fox');
    const space = await guest.api.being.create({ name: 'Fox Den', type: 'space' });
    const post = await guest.api.intention.createUtterance({
      spaceId: space.id,
      content: 'before signing up',
    });
    const upgraded = await signUp(runtime, 'Fox Account', undefined, guest.headers);
    expect(upgraded.actor.beingId).toBe(guest.actor.beingId);
    expect(await upgraded.api.being.me()).toMatchObject({ id: '@passing-fox', name: 'Passing Fox' });
    expect((await upgraded.api.intention.get({ id: post.id })).ownerId).toBe(guest.actor.beingId);
    await upgraded.api.being.update({ id: space.id, name: 'Fox Den, kept' });
    // The being made for the account a moment before is gone; the guest user is gone.
    expect(await runtime.db.select().from(beings).where(eq(beings.name, 'Fox Account'))).toEqual([]);
    expect(await runtime.db.select().from(users).where(eq(users.id, guest.userId))).toEqual([]);
  });

  it('keeps an existing account its own being when a guest signs in to it', async () => {
    const owner = await signUp(runtime, 'Gale', 'gale@example.test');
    await owner.api.space.join({ spaceId: '@intraliminal' });
    const guest = await signInAsGuest(runtime, 'Gale Incognito');
    const response = await runtime.auth.handler(
      new Request('http://localhost:3000/api/auth/sign-in/email', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'http://localhost:3000',
          cookie: guest.headers.get('cookie') ?? '',
        },
        body: JSON.stringify({ email: 'gale@example.test', password: 'correct horse battery' }),
      }),
    );
    expect(response.status).toBe(200);
    const [user] = await runtime.db.select().from(users).where(eq(users.id, owner.userId));
    expect(user?.beingId).toBe(owner.actor.beingId);
  });

  it('refuses a guest without a usable name, creating no user', async () => {
    const [before] = await runtime.db.select({ n: count() }).from(users);
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 'x'.repeat(101) }, { name: 42 }]) {
      const response = await guestRequest(runtime, body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(/^Pick a display name/);
    }
    const [after] = await runtime.db.select({ n: count() }).from(users);
    expect(after?.n).toBe(before?.n);
  });

  it('sets httpOnly, SameSite=Lax session cookies', async () => {
    const response = await guestRequest(runtime, { name: 'Cookie Check' });
    const session = response.headers.getSetCookie().find((c) => c.includes('session_token'));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).not.toMatch(/Secure/i);
  });

  it('marks cookies Secure in production', async () => {
    const auth = createAuth({
      db: runtime.db,
      domain: runtime.domain,
      secret: 'production-secret-production-secret-0123',
      baseURL: 'https://rhizom.example',
      production: true,
      logger: createLogger('silent'),
    });
    const response = await auth.handler(
      new Request('https://rhizom.example/api/auth/sign-in/anonymous', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://rhizom.example' },
        body: JSON.stringify({ name: 'Prod Guest' }),
      }),
    );
    expect(response.status).toBe(200);
    const session = response.headers.getSetCookie().find((c) => c.includes('session_token'));
    expect(session).toMatch(/^__Secure-/);
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/HttpOnly/i);
  });

  it('refuses a wrong password and a duplicate email with clear errors', async () => {
    await signUp(runtime, 'Cleo', 'cleo@example.test');
    const wrong = await runtime.auth.handler(
      new Request('http://localhost:3000/api/auth/sign-in/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({ email: 'cleo@example.test', password: 'not the password' }),
      }),
    );
    expect(wrong.status).toBe(401);
    const again = await runtime.auth.handler(
      new Request('http://localhost:3000/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
        body: JSON.stringify({
          name: 'Cleo Two',
          email: 'cleo@example.test',
          password: 'correct horse battery',
        }),
      }),
    );
    expect(again.status).toBe(422);
    expect(((await again.json()) as { message: string }).message).toMatch(/already exists/i);
    const [cleos] = await runtime.db
      .select({ n: count() })
      .from(users)
      .where(eq(users.email, 'cleo@example.test'));
    expect(cleos?.n).toBe(1);
  });

  it("never shows other users' emails or account links through the API", async () => {
    const dana = await signUp(runtime, 'Dana', 'dana-secret@example.test');
    const eli = await signUp(runtime, 'Eli');
    const [account] = await runtime.db.select().from(accounts).where(eq(accounts.userId, dana.userId));
    const seen = JSON.stringify([
      await eli.api.being.get({ id: dana.actor.beingId }),
      await eli.api.being.search({ query: 'Dana' }),
      await eli.api.being.me(),
    ]);
    expect(seen).toContain(dana.actor.beingId);
    expect(seen).not.toContain('dana-secret@example.test');
    expect(seen).not.toContain(dana.userId);
    expect(seen).not.toContain(account?.id ?? 'no-account');
  });
});
