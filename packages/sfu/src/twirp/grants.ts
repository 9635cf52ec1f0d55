import type { VideoClaims } from '../auth/claims.ts';
import { TwirpError } from './twirp-error.ts';

/** The grant a RoomService method needs, as livekit-server's roomservice checks it. */
export type RequiredGrant = 'roomCreate' | 'roomList' | 'roomAdmin';

/**
 * Throws unless the token's video grant allows the call. roomAdmin is only valid for the room the
 * token names. livekit-server answers every grant failure with `unauthenticated` (401), so do we.
 */
export function requireGrant(video: VideoClaims, grant: RequiredGrant, room: string): void {
  if (video[grant] !== true) {
    throw new TwirpError('unauthenticated', `permissions denied: the token needs the ${grant} grant`);
  }
  if (grant !== 'roomAdmin') return;
  const tokenRoom = video.room ?? '';
  if (tokenRoom === '' || tokenRoom !== room) {
    throw new TwirpError(
      'unauthenticated',
      `permissions denied: the token's roomAdmin grant is for room "${tokenRoom}", not "${room}"`,
    );
  }
}
