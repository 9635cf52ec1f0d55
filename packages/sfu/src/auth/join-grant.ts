import { AuthError } from './auth-error.ts';
import type { AccessClaims } from './claims.ts';

/**
 * Checks that verified claims allow joining a room, answering as livekit-server does: 401 without
 * roomJoin, 400 without identity or room, 400 for over-long names.
 */
export function requireJoinGrant(
  claims: AccessClaims,
  maxNameBytes: number,
): { room: string; identity: string } {
  if (claims.video.roomJoin !== true) throw new AuthError(401, 'permissions denied: token lacks roomJoin');
  const room = claims.video.room ?? '';
  if (room === '') throw new AuthError(400, 'no room name: token lacks video.room');
  if (claims.identity === '') throw new AuthError(400, 'no participant identity: token lacks sub');
  if (Buffer.byteLength(room) > maxNameBytes) {
    throw new AuthError(400, `room name is too long (max ${maxNameBytes} bytes)`);
  }
  if (Buffer.byteLength(claims.identity) > maxNameBytes) {
    throw new AuthError(400, `identity is too long (max ${maxNameBytes} bytes)`);
  }
  return { room, identity: claims.identity };
}
