import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { maxBatchSize } from '../lib/trpc-batch.ts';
import { type AccessRecord, withAccessLog } from './access-log.ts';
import { appRouter } from './routers/index.ts';
import type { Runtime } from './runtime.ts';
import { createContext } from './trpc.ts';
import { RetryAfter } from './write-rate.ts';

/**
 * Calls whose answers carry a space's sealing key and its contents: no browser, proxy or CDN may keep a
 * copy (a removed member could read it back from a cache), so the whole response, batched or not, is
 * marked not to be stored.
 */
const carriesKeys = new Set(['sync.keys', 'sync.since', 'sync.snapshot']);
const notStored = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** Answers one HTTP request to `/api/trpc` on `runtime` (the route handler's whole job, testable without Next). */
export function handleTrpcRequest(
  runtime: Runtime,
  request: Request,
  access: AccessRecord = {},
): Promise<Response> {
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: async () => {
      const context = await createContext(runtime, request.headers);
      access.beingId = context.actor?.beingId;
      return context;
    },
    maxBatchSize,
    responseMeta: ({ errors, info }) => {
      const headers: Record<string, string> = {};
      // A write refused by the caller's write rate says when to come back.
      const wait = errors.find((error) => error.cause instanceof RetryAfter)?.cause;
      if (wait instanceof RetryAfter) headers['retry-after'] = String(wait.seconds);
      if (info?.calls.some((call) => carriesKeys.has(call.path))) Object.assign(headers, notStored);
      return { headers };
    },
    onError: ({ error, path }) => {
      // Expected refusals (bad input, not found, …) are the caller's business; log only server faults.
      if (error.code === 'INTERNAL_SERVER_ERROR')
        runtime.logger.error({ err: error, path }, 'tRPC procedure failed');
    },
  });
}

/** `/api/trpc` as served: the handler on the process's runtime, with its access line. */
export const trpcRoute = withAccessLog((request, runtime, access) =>
  handleTrpcRequest(runtime, request, access),
);
