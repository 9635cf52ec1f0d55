import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { Actor, Viewer } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { Runtime } from './runtime.ts';
import { RetryAfter } from './write-rate.ts';

/** Per request: the runtime (database, domain) and the caller as stored rows describe them. */
export interface Context {
  runtime: Runtime;
  /** The signed-in user's id, or null. */
  userId: string | null;
  /** The caller's being and superuser flag, read from the database; null without a session. */
  actor: Viewer;
}

/** Builds the context from request headers (the session cookie); the caller's being is read on every request. */
export async function createContext(runtime: Runtime, headers: Headers): Promise<Context> {
  const session = await runtime.sessions.get(headers);
  if (!session) return { runtime, userId: null, actor: null };
  const actor = await runtime.domain.users.actorFor(session.user.id);
  return { runtime, userId: session.user.id, actor };
}

/** "field: problem; other: problem" from zod issues: one readable line for clients and people. */
function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

export const internalErrorMessage =
  'Something went wrong on the server. Try again, and if it keeps failing, tell the operator (the server log has the details).';

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const { stack: _stack, ...data } = shape.data;
    // A server fault's message can hold SQL, parameters or a stack: it is logged (route onError), and the
    // caller gets a fixed sentence.
    const message = error.code === 'INTERNAL_SERVER_ERROR' ? internalErrorMessage : shape.message;
    return { ...shape, message, data: { ...data, zodIssues: zodError ? zodError.issues : null } };
  },
});

/**
 * Domain errors become tRPC errors of the same kind, keeping their message; input that fails its zod
 * schema becomes BAD_REQUEST with a readable message. Registered before `.input()`, so it sees both.
 */
const readableErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) throw new TRPCError({ code: cause.code, message: cause.message, cause });
  if (cause instanceof ZodError && result.error.code === 'BAD_REQUEST') {
    throw new TRPCError({ code: 'BAD_REQUEST', message: describeZodError(cause), cause });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(readableErrors);

/**
 * Procedures that need a signed-in caller; `ctx.actor` is non-null inside. Every mutation counts against
 * the caller's write rate before any work is done.
 */
export const authedProcedure = publicProcedure.use(({ ctx, next, type }) => {
  if (!ctx.actor) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in (or continue as a guest) first.' });
  }
  if (type === 'mutation') {
    const taken = ctx.runtime.writeLimiter.take(ctx.actor.beingId);
    if (!taken.ok) {
      const { writes, windowMs } = ctx.runtime.writeLimiter.rate;
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many changes: at most ${writes} every ${windowMs / 1000} s. Try again in ${taken.retryAfterSeconds} s.`,
        cause: new RetryAfter(taken.retryAfterSeconds),
      });
    }
  }
  return next({ ctx: { ...ctx, actor: ctx.actor as Actor } });
});
