import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError } from 'better-auth/api';
import { anonymous } from 'better-auth/plugins';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { accounts, sessions, users, verifications } from '../db/schema/index.ts';
import type { Domain } from '../domain/index.ts';
import { nameSchema } from '../domain/schemas.ts';

export interface AuthOptions {
  db: Database;
  domain: Domain;
  secret: string;
  /** Public origin; unset → better-auth takes it from each request. */
  baseURL?: string;
  /** Secure (HTTPS-only) cookies. */
  production: boolean;
  logger: Logger;
  /** Told the token of every session better-auth deletes (sign-out, revocation), so caches drop it at once. */
  onSessionDeleted?: (token: string) => void;
}

/**
 * better-auth with email + password and guest sign-in (the anonymous plugin; the visitor's chosen
 * display name arrives as `name` in the request body). Sessions live in the database. Right after a user
 * is created, the domain gives them their one being.
 */
export function createAuth(options: AuthOptions) {
  const { domain, logger } = options;
  return betterAuth({
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    database: drizzleAdapter(options.db, {
      provider: 'pg',
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    emailAndPassword: { enabled: true, autoSignIn: true, minPasswordLength: 8, maxPasswordLength: 128 },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    plugins: [
      anonymous({
        generateName: (ctx) => {
          const parsed = nameSchema.safeParse((ctx.body as { name?: unknown } | undefined)?.name);
          if (!parsed.success) {
            throw new APIError('BAD_REQUEST', {
              message: `Pick a display name: ${parsed.error.issues[0]?.message ?? 'a name is required.'}`,
            });
          }
          return parsed.data;
        },
        // The anonymous user is deleted after this; their being lives on as the account's.
        onLinkAccount: async ({ anonymousUser, newUser }) => {
          await domain.users.adoptGuestBeing(anonymousUser.user.id, newUser.user.id);
        },
      }),
    ],
    databaseHooks: {
      user: {
        create: {
          // Email sign-up names pass the same rule as every other name (the guest's is checked above).
          before: async (user) => {
            const parsed = nameSchema.safeParse(user.name);
            if (!parsed.success) {
              throw new APIError('BAD_REQUEST', {
                message: `name: ${parsed.error.issues[0]?.message ?? 'a name is required.'}`,
              });
            }
            return { data: { ...user, name: parsed.data } };
          },
          after: async (user) => {
            await domain.users.ensureBeing(user.id);
          },
        },
      },
      session: {
        create: {
          after: async (session) => {
            logger.info({ component: 'audit', action: 'signed in', user: session.userId }, 'signed in');
          },
        },
        delete: {
          after: async (session) => {
            options.onSessionDeleted?.(session.token);
          },
        },
      },
    },
    advanced: {
      // The server in scripts/serve.ts sets X-Forwarded-For to the one client address it resolved from the
      // socket and TRUST_PROXY; the rate limiter and sessions' ipAddress read it.
      ipAddress: { ipAddressHeaders: ['x-forwarded-for'] },
      useSecureCookies: options.production,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax', secure: options.production },
    },
    telemetry: { enabled: false },
    logger: {
      log: (level, message, ...args) => {
        // Deliberate: with no BETTER_AUTH_URL the origin comes from each request (the README's configuration
        // table says when to set it), so better-auth's warning on every boot would only be noise.
        const expected = !options.baseURL && message.includes('Base URL is not set');
        logger[expected ? 'debug' : level]({ args, component: 'auth' }, message);
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
