import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { maxBatchSize } from '@/lib/trpc-batch';
import { appRouter } from '@/server/routers/index';
import { getRuntime } from '@/server/runtime';
import { createContext } from '@/server/trpc';
import { RetryAfter } from '@/server/write-rate';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  const app = await getRuntime();
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => createContext(app, request.headers),
    maxBatchSize,
    // A write refused by the caller's write rate says when to come back.
    responseMeta: ({ errors }) => {
      const wait = errors.find((error) => error.cause instanceof RetryAfter)?.cause;
      return wait instanceof RetryAfter ? { headers: { 'retry-after': String(wait.seconds) } } : {};
    },
    onError: ({ error, path }) => {
      // Expected refusals (bad input, not found, …) are the caller's business; log only server faults.
      if (error.code === 'INTERNAL_SERVER_ERROR')
        app.logger.error({ err: error, path }, 'tRPC procedure failed');
    },
  });
}

export { handle as GET, handle as POST };
