import { withAccessLog } from '@/server/access-log';
import { internalErrorMessage } from '@/server/trpc';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const handle = withAccessLog(async (request, app) => {
  const response = await app.auth.handler(request);
  if (response.status < 500) return response;
  // better-auth's own 5xx bodies can carry a database error's text: log it, answer a fixed sentence.
  app.logger.error(
    {
      status: response.status,
      body: (await response.text()).slice(0, 2000),
      path: new URL(request.url).pathname,
    },
    'auth request failed',
  );
  return Response.json({ message: internalErrorMessage }, { status: response.status });
});

export { handle as GET, handle as POST };
