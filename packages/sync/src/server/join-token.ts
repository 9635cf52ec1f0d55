import { randomBytes } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';

/** Participant attribute that carries the being behind a connection; presence groups by it. */
export const BEING_ATTRIBUTE = 'beingId';

export const MIN_TOKEN_TTL_SECONDS = 60;
export const MAX_TOKEN_TTL_SECONDS = 60 * 60;
/**
 * Short, because LiveKit never revokes a token: a removed member could re-join with the one they hold
 * until it expires (the app removes them again on every join, but a short life bounds the replays).
 * Clients fetch a token for every session (reusing it only across the attempts that failed before one
 * joined, for at most half its life), so its length never ends a live connection.
 */
export const DEFAULT_TOKEN_TTL_SECONDS = 2 * 60;

export interface JoinTokenRequest {
  space: string;
  /** null for a signed-out visitor of a public space: a hidden participant that only listens. */
  beingId: string | null;
  name: string;
  /**
   * Let the connection publish its presence heartbeat (`canPublishData`; see `client/liveness.ts`): for a
   * signed-in person in a space's room, whom others list as here. Never for a visitor (hidden).
   */
  presence?: boolean;
}

export interface JoinToken {
  token: string;
  identity: string;
  expiresAt: Date;
}

/**
 * A token for one space's room that publishes no tracks. The identity is unique per connection
 * (`@being#random`) so a second tab never replaces the first (LiveKit evicts duplicate identities); the
 * being id rides in an attribute. Data publishing only for presence heartbeats: clients accept a `sync`
 * packet only without a sending participant (from the server), and only signed.
 */
export async function createJoinToken(
  credentials: { apiKey: string; apiSecret: string; ttlSeconds?: number },
  request: JoinTokenRequest,
): Promise<JoinToken> {
  const ttl = Math.min(
    MAX_TOKEN_TTL_SECONDS,
    Math.max(MIN_TOKEN_TTL_SECONDS, Math.round(credentials.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS)),
  );
  const identity = `${request.beingId ?? 'visitor'}#${randomBytes(6).toString('base64url')}`;
  const token = new AccessToken(credentials.apiKey, credentials.apiSecret, {
    identity,
    name: request.name,
    ttl,
    attributes: request.beingId ? { [BEING_ATTRIBUTE]: request.beingId } : {},
  });
  token.addGrant({
    roomJoin: true,
    room: request.space,
    canSubscribe: true,
    canPublish: false,
    canPublishData: Boolean(request.presence && request.beingId),
    canUpdateOwnMetadata: false,
    // Visitors who are not signed in are not "in" the space: others do not see them.
    hidden: request.beingId === null,
  });
  return { token: await token.toJwt(), identity, expiresAt: new Date(Date.now() + ttl * 1000) };
}
