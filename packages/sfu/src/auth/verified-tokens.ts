import { AuthError } from './auth-error.ts';
import type { AccessClaims } from './claims.ts';
import type { ApiKeys } from './keys.ts';
import { LEEWAY_SECONDS, verifyAccessToken } from './verify.ts';

/** Tokens remembered at most; past this the oldest is forgotten (it verifies again on its next use). */
const DEFAULT_MAX_TOKENS = 1_000;

/**
 * Verifies access tokens like `verifyAccessToken`, remembering the ones that passed, so a client that
 * reuses one signed token for many API calls (the app's broadcaster) pays for the signature check once.
 * Keyed by the whole token string, so only the exact bytes that verified are accepted from memory, and
 * expiry is checked again on every use, with the same leeway. A refused token is never remembered.
 */
export function createTokenVerifier(
  keys: ApiKeys,
  options: { maxTokens?: number; now?: () => number } = {},
): (token: string) => Promise<AccessClaims> {
  const maxTokens = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  const now = options.now ?? Date.now;
  const verified = new Map<string, AccessClaims>();
  return async (token) => {
    const remembered = verified.get(token);
    if (remembered) {
      // The same rule as jose: expired once exp <= now - leeway.
      if (remembered.exp > Math.floor(now() / 1000) - LEEWAY_SECONDS) return remembered;
      verified.delete(token);
      throw new AuthError(401, 'invalid token: token is expired');
    }
    const claims = await verifyAccessToken(token, keys);
    if (verified.size >= maxTokens) verified.delete(verified.keys().next().value ?? '');
    verified.set(token, claims);
    return claims;
  };
}
