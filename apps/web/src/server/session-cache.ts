/** What a session lookup answers: better-auth's session and user, or null when there is no valid session. */
export interface SessionFound {
  session: { token: string; expiresAt: Date };
  user: { id: string };
}

export interface SessionCache<S extends SessionFound> {
  /** The session the request's cookies carry, looked up at most once per `ttlMs` per cookie header. */
  get(headers: Headers): Promise<S | null>;
  /** Drops what is cached for a session (signed out, revoked): its next request is looked up again. */
  forget(token: string): void;
}

/** How long a looked-up session is trusted without asking the database again (see `createSessionCache`). */
export const SESSION_CACHE_MS = 2_000;

/** Entries kept at most; the oldest go first. A bound, so many distinct cookies cannot grow memory. */
const MAX_ENTRIES = 10_000;

/**
 * better-auth's session lookup costs two queries and a signature check per request; a person posting in a
 * burst sends several requests a second with the same cookie. This keeps each found session for `ttlMs`
 * (never past its expiry), keyed by the whole Cookie header, so a request with different cookies is looked up
 * afresh. Requests arriving while a lookup runs share it. Only found sessions are kept: a missing or invalid
 * cookie is looked up every time, as before.
 *
 * Revocation: a session deleted through this process's better-auth (sign-out, `forget` from its delete hook)
 * stops working at once; one deleted any other way (another app process, SQL) within `ttlMs`.
 */
export function createSessionCache<S extends SessionFound>(
  lookup: (headers: Headers) => Promise<S | null>,
  options: { ttlMs?: number; now?: () => number } = {},
): SessionCache<S> {
  const ttlMs = options.ttlMs ?? SESSION_CACHE_MS;
  const now = options.now ?? (() => Date.now());
  const entries = new Map<string, { found: Promise<S | null>; until: number; token?: string }>();
  const keysOf = new Map<string, Set<string>>();

  function drop(key: string): void {
    const entry = entries.get(key);
    entries.delete(key);
    if (!entry?.token) return;
    const keys = keysOf.get(entry.token);
    keys?.delete(key);
    if (keys?.size === 0) keysOf.delete(entry.token);
  }

  return {
    get(headers) {
      const key = headers.get('cookie');
      if (!key) return lookup(headers);
      const cached = entries.get(key);
      if (cached && cached.until > now()) return cached.found;
      if (cached) drop(key);
      const entry: { found: Promise<S | null>; until: number; token?: string } = {
        found: lookup(headers),
        // While the lookup runs, requests with the same cookie wait for it rather than start their own.
        until: Number.POSITIVE_INFINITY,
      };
      entries.set(key, entry);
      entry.found.then(
        (found) => {
          if (entries.get(key) !== entry) return;
          if (!found) return drop(key);
          entry.token = found.session.token;
          entry.until = Math.min(now() + ttlMs, new Date(found.session.expiresAt).getTime());
          keysOf.set(entry.token, (keysOf.get(entry.token) ?? new Set()).add(key));
          if (entries.size > MAX_ENTRIES) drop(entries.keys().next().value as string);
        },
        () => {
          if (entries.get(key) === entry) drop(key);
        },
      );
      return entry.found;
    },
    forget(token) {
      for (const key of [...(keysOf.get(token) ?? [])]) drop(key);
      // A lookup still running may have read the session before it was deleted: it is not kept either.
      for (const [key, entry] of entries) if (entry.until === Number.POSITIVE_INFINITY) drop(key);
    },
  };
}
