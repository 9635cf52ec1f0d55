import { SignJWT } from 'jose';
import type { VideoClaims } from './claims.ts';

/** livekit-server's refreshed tokens live 10 minutes, or as long as the join token had left if longer. */
export const REFRESH_TOKEN_TTL_SECONDS = 10 * 60;

/** What a participant is now: the claims a refreshed token carries, so a reconnect restores this state. */
export interface ParticipantClaims {
  identity: string;
  name: string;
  metadata: string;
  attributes: Readonly<Record<string, string>>;
  kind: string | undefined;
  video: VideoClaims;
  roomConfig: unknown;
}

export interface SigningKey {
  apiKey: string;
  secret: string;
}

const encoder = new TextEncoder();

/**
 * Mints the token livekit-server sends as `refresh_token`: the participant's current claims, signed
 * with the key it joined with, valid for 10 minutes or until the join token's own expiry if later
 * (so a refresh never shortens a session the app granted).
 */
export function mintRefreshToken(
  claims: ParticipantClaims,
  key: SigningKey,
  joinTokenExpiresAt: number,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  const payload: Record<string, unknown> = {
    name: claims.name,
    metadata: claims.metadata,
    attributes: { ...claims.attributes },
    video: claims.video,
  };
  if (claims.kind !== undefined) payload.kind = claims.kind;
  if (claims.roomConfig !== undefined) payload.roomConfig = claims.roomConfig;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(key.apiKey)
    .setSubject(claims.identity)
    .setJti(claims.identity)
    .setNotBefore(nowSeconds)
    .setExpirationTime(Math.max(nowSeconds + REFRESH_TOKEN_TTL_SECONDS, joinTokenExpiresAt))
    .sign(encoder.encode(key.secret));
}
