import type { Runtime } from './runtime.ts';
import { getRuntime } from './runtime.ts';

/** What a handler learns about its caller while it runs, for the access line. */
export interface AccessRecord {
  beingId?: string;
}

type Handler = (request: Request, runtime: Runtime, access: AccessRecord) => Promise<Response>;

/**
 * A route handler that logs one access line per request when it ends: method, route (for tRPC the path
 * names the procedures), status, duration and, once known, the caller's being.
 */
export function withAccessLog(handler: Handler): (request: Request) => Promise<Response> {
  return async (request) => {
    const started = performance.now();
    const runtime = await getRuntime();
    const access: AccessRecord = {};
    let status = 500;
    try {
      const response = await handler(request, runtime, access);
      status = response.status;
      return response;
    } finally {
      runtime.logger.info(
        {
          component: 'http',
          method: request.method,
          route: new URL(request.url).pathname,
          status,
          ms: Math.round(performance.now() - started),
          being: access.beingId,
        },
        'request',
      );
    }
  };
}
