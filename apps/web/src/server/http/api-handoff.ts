import { isUnder } from './body-limit.ts';
import type { FetchHandler } from './fetch-bridge.ts';

/**
 * The tRPC API, handed by the Next.js bundle to the HTTP server in front of it (`scripts/serve.ts`), which
 * then answers `/api/trpc` itself instead of passing the request through Next.js's router. That pipeline
 * (request conversion, routing, tracing, its async context) cost about a quarter of the server's CPU per
 * post: in bench:web-posts, 29.6–31.0 ms per post through Next.js against 21.1–23.4 ms handed off, and the
 * server kept up with 50 posts/s instead of 38–40. Handed off, not imported: the handler must be the
 * bundle's own copy of the app, which holds the runtime and whose error classes the API's answers test
 * with `instanceof`; serve.ts loads the sources separately. The two meet on a global key.
 */
const key = Symbol.for('rhizom.trpc-handler');

type Holder = { [key]?: FetchHandler };

/** Called in the Next.js bundle as the server boots (`start-on-boot.ts`). */
export function offerTrpcHandler(handler: FetchHandler): void {
  (globalThis as Holder)[key] = handler;
}

/** The handler for `pathname` when it is the API's and the bundle has offered it. */
export function trpcHandlerFor(pathname: string): FetchHandler | undefined {
  return isUnder(pathname, '/api/trpc') ? (globalThis as Holder)[key] : undefined;
}
