import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { withAccessLog } from '@/server/access-log';
import { appRouter } from '@/server/routers/index';
import { createContext } from '@/server/trpc';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handle = withAccessLog(async (request, app, access) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    createContext: async () => {
      const context = await createContext(app, request.headers);
      access.beingId = context.actor?.beingId;
      return context;
    },
    onError: ({ error, path }) => {
      // Expected refusals (bad input, not found, …) are the caller's business; log only server faults.
      if (error.code === 'INTERNAL_SERVER_ERROR')
        app.logger.error({ err: error, path }, 'tRPC procedure failed');
    },
  }),
);

export { handle as GET, handle as POST };
