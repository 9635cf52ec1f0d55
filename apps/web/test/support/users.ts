import { eq } from 'drizzle-orm';
import { users } from '../../src/db/schema/index.ts';
import type { Actor } from '../../src/domain/actor.ts';
import { createCaller } from '../../src/server/routers/index.ts';
import type { Runtime } from '../../src/server/runtime.ts';
import { createContext } from '../../src/server/trpc.ts';

export interface TestUser {
  userId: string;
  actor: Actor;
  /** Request headers carrying the session cookie. */
  headers: Headers;
  /** tRPC caller with this user's real session. */
  api: ReturnType<typeof createCaller>;
}

/** Session cookie pairs (name=value) from a response's Set-Cookie headers. */
function cookieHeader(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

async function asUser(runtime: Runtime, response: Response): Promise<TestUser> {
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const headers = new Headers({ cookie: cookieHeader(response) });
  const ctx = await createContext(runtime, headers);
  if (!ctx.userId || !ctx.actor) throw new Error('no session after sign-in');
  return { userId: ctx.userId, actor: ctx.actor, headers, api: createCaller(ctx) };
}

/** Signs up through better-auth's HTTP handler, exactly as a browser would. */
export async function signUp(
  runtime: Runtime,
  name: string,
  email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Math.random().toString(36).slice(2)}@example.test`,
  /** Headers of a current (guest) session, sent along as a browser would. */
  from?: Headers,
): Promise<TestUser> {
  const response = await runtime.auth.handler(
    new Request('http://localhost:3000/api/auth/sign-up/email', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://localhost:3000',
        cookie: from?.get('cookie') ?? '',
      },
      body: JSON.stringify({ name, email, password: 'correct horse battery' }),
    }),
  );
  return asUser(runtime, response);
}

export async function signInAsGuest(runtime: Runtime, name: string): Promise<TestUser> {
  const response = await guestRequest(runtime, { name });
  return asUser(runtime, response);
}

export function guestRequest(runtime: Runtime, body: unknown): Promise<Response> {
  return runtime.auth.handler(
    new Request('http://localhost:3000/api/auth/sign-in/anonymous', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
      body: JSON.stringify(body),
    }),
  );
}

/** A caller with no session. */
export async function anonymousApi(runtime: Runtime) {
  return createCaller(await createContext(runtime, new Headers()));
}

/** Grants superuser in SQL: the only way there is. */
export async function makeSuperuser(runtime: Runtime, user: TestUser): Promise<TestUser> {
  await runtime.db.update(users).set({ superuser: true }).where(eq(users.id, user.userId));
  const ctx = await createContext(runtime, user.headers);
  if (!ctx.actor) throw new Error('lost the session');
  return { ...user, actor: ctx.actor, api: createCaller(ctx) };
}
