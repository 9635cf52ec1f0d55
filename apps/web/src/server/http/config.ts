import { positiveInt } from '../env-number.ts';
import { type BodyLimits, defaultBodyLimits } from './body-limit.ts';
import { parseTrustProxy, type TrustProxy } from './client-address.ts';

/**
 * The HTTP edge's configuration, from the environment (read by the server in `scripts/serve.ts`):
 * - `TRUST_PROXY`: which proxies' X-Forwarded-For to believe (`client-address.ts`); unset → none.
 * - `BODY_LIMIT_TRPC` (default 1048576), `BODY_LIMIT_AUTH` (65536), `BODY_LIMIT_WEBHOOK` (65536),
 *   `BODY_LIMIT_OTHER` (65536): largest request body in bytes, per route.
 */
export interface HttpConfig {
  trustProxy: TrustProxy;
  bodyLimits: BodyLimits;
}

export function httpConfigFromEnv(env: Record<string, string | undefined> = process.env): HttpConfig {
  return {
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    bodyLimits: {
      trpc: positiveInt(env, 'BODY_LIMIT_TRPC', defaultBodyLimits.trpc),
      auth: positiveInt(env, 'BODY_LIMIT_AUTH', defaultBodyLimits.auth),
      webhook: positiveInt(env, 'BODY_LIMIT_WEBHOOK', defaultBodyLimits.webhook),
      other: positiveInt(env, 'BODY_LIMIT_OTHER', defaultBodyLimits.other),
    },
  };
}
