import type { Viewer } from './actor.ts';
import { BEING_ID_PATTERN } from './being-id-rule.ts';

/**
 * Sync streams that are not a space's own. Their ids start with `~`, which no being id can, so they never
 * meet a space's stream or room. The sidebar lives from two of them:
 * - the directory (`~spaces`): every public space, readable by anyone who may see public spaces;
 * - a being's personal stream (`~@ada`): the spaces it owns or is a member of (names, membership) and its
 *   read positions. Only that being may read it; like every stream, its packets are sealed.
 */
export const DIRECTORY_STREAM = '~spaces';

export function personalStream(beingId: string): string {
  return `~${beingId}`;
}

/** The being whose personal stream this is, or null when it is not a personal stream id. */
export function personalStreamOwner(stream: string): string | null {
  const beingId = stream.startsWith('~') ? stream.slice(1) : '';
  return BEING_ID_PATTERN.test(beingId) ? beingId : null;
}

export type StreamKind =
  | { kind: 'space'; spaceId: string }
  | { kind: 'directory' }
  | { kind: 'personal'; beingId: string };

/** What a stream id names; null for anything else. */
export function streamKind(stream: string): StreamKind | null {
  if (stream === DIRECTORY_STREAM) return { kind: 'directory' };
  const beingId = personalStreamOwner(stream);
  if (beingId) return { kind: 'personal', beingId };
  return BEING_ID_PATTERN.test(stream) ? { kind: 'space', spaceId: stream } : null;
}

/** Only its own being reads a personal stream: not another person, not a superuser, not a visitor. */
export function mayReadPersonal(viewer: Viewer, beingId: string): boolean {
  return viewer !== null && viewer.beingId === beingId;
}
