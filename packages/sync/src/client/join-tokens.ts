/** Where and how to join a space's room, as the app hands it out. */
export interface JoinGrant {
  url: string;
  token: string;
}

/**
 * The join token of a space connection's next session: fetched once and reused by every attempt until
 * one joins, while it has half its life left, so the attempts of an outage (and the one that lands when
 * the server is back) cost no call to the app. A session that joined uses it up: the next one fetches a
 * fresh token, so a new identity (the server evicts an identity's older session when it joins again).
 */
export class JoinTokens {
  private held: { grant: JoinGrant; reuseUntil: number } | null = null;

  constructor(
    private readonly fetch: () => Promise<JoinGrant>,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<JoinGrant> {
    if (this.held && this.now() < this.held.reuseUntil) return this.held.grant;
    const fetchedAt = this.now();
    const grant = await this.fetch();
    this.held = { grant, reuseUntil: fetchedAt + reusableMs(grant.token) };
    return grant;
  }

  /** A session joined with the token, or the server refused it: the next `get` fetches a fresh one. */
  drop(): void {
    this.held = null;
  }
}

/**
 * Half the token's lifetime (`exp − nbf`), counted from when it was fetched on this machine's clock, so
 * a clock that differs from the server's changes nothing; 0 (never reused) for a token without them.
 */
export function reusableMs(token: string): number {
  const claims = jwtClaims(token);
  const exp = claims?.exp;
  const start = claims?.nbf ?? claims?.iat;
  if (typeof exp !== 'number' || typeof start !== 'number' || exp <= start) return 0;
  return ((exp - start) * 1_000) / 2;
}

function jwtClaims(token: string): Record<string, unknown> | null {
  const payload = token.split('.')[1];
  if (payload === undefined) return null;
  try {
    // atob is forgiving about missing padding; the claims read here are numbers, so a byte string will do.
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
