import type { BeingRow } from '../db/schema/index.ts';
import type { Viewer } from './actor.ts';

/**
 * Pure permission rules over stored rows. Callers load the rows (and the viewer's membership) from the
 * database; nothing here trusts the request. A private space someone may not see is reported as
 * not found by the callers, so its existence does not leak.
 */

export interface SpaceAccess {
  space: BeingRow;
  /** Whether the viewer's being is a member of the space. */
  isMember: boolean;
}

export function canViewSpace(viewer: Viewer, { space, isMember }: SpaceAccess): boolean {
  if (space.type !== 'space') return false;
  if (space.visibility === 'public') return true;
  if (!viewer) return false;
  return viewer.superuser || space.ownerId === viewer.beingId || isMember;
}

/** Posting takes a session and sight of the space. */
export function canPostInSpace(viewer: Viewer, access: SpaceAccess): boolean {
  return viewer !== null && canViewSpace(viewer, access);
}

/** Editing, moving or deleting a being: its stored owner, or a superuser. */
export function canEditBeing(viewer: Viewer, being: BeingRow): boolean {
  if (!viewer) return false;
  return viewer.superuser || (being.ownerId !== null && being.ownerId === viewer.beingId);
}

/** Editing a message: only its author (not a space owner, not a superuser: words stay the author's own). */
export function canEditIntention(viewer: Viewer, intention: { ownerId: string }): boolean {
  return viewer !== null && intention.ownerId === viewer.beingId;
}

/** Deleting a message: its author, the owner of its space, or a superuser. */
export function canDeleteIntention(viewer: Viewer, intention: { ownerId: string }, space: BeingRow): boolean {
  if (!viewer) return false;
  return viewer.superuser || intention.ownerId === viewer.beingId || space.ownerId === viewer.beingId;
}

/** Joining by yourself works for public spaces; private ones take an invitation from the owner. */
export function canJoinSpace(viewer: Viewer, access: SpaceAccess): boolean {
  return viewer !== null && canViewSpace(viewer, access);
}

/** Adding someone else to a space: its owner or a superuser. */
export function canManageMembers(viewer: Viewer, space: BeingRow): boolean {
  return canEditBeing(viewer, space);
}

/**
 * A being is visible when it is not a hidden space and is not inside one, at any depth. `chain` is the
 * being itself if it is a space, then every space it is inside, innermost first (for anything else: its
 * location and the spaces that one is in), each with the viewer's membership; empty at the top level.
 */
export function canViewWithin(viewer: Viewer, chain: readonly SpaceAccess[]): boolean {
  return chain.every((access) => canViewSpace(viewer, access));
}
