import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { appRouter } from '@/server/routers/index';
import { getRuntime } from '@/server/runtime';
import { createContext } from '@/server/trpc';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

async function handle(request: Request): Promise<Response> {
  const app = await getRuntime();
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: () => createContext(app, request.headers),
    onError: ({ error, path }) => {
      // Expected refusals (bad input, not found, …) are the caller's business; log only server faults.
      if (error.code === 'INTERNAL_SERVER_ERROR')
        app.logger.error({ err: error, path }, 'tRPC procedure failed');
    },
  });
}

export { handle as GET, handle as POST };
