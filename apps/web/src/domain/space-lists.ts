import { eq } from 'drizzle-orm';
import type { Transaction } from '../db/database.ts';
import { type BeingRow, spaceMembers } from '../db/schema/index.ts';
import type { PendingSyncEvent } from './outbox.ts';
import { beingView } from './projections.ts';
import { DIRECTORY_STREAM, personalStream } from './streams.ts';
import type { WriteScope } from './write.ts';

/**
 * Sidebars are live from the directory (public spaces) and each being's personal stream (spaces it owns
 * or is a member of). A change to a space goes to every list that holds it, so open sidebars follow
 * renames, creations, deletions and membership without a reload.
 */
export async function listsHolding(tx: Transaction, space: BeingRow): Promise<string[]> {
  const members = await tx
    .select({ beingId: spaceMembers.beingId })
    .from(spaceMembers)
    .where(eq(spaceMembers.spaceId, space.id));
  const beings = new Set(members.map((row) => row.beingId));
  if (space.ownerId) beings.add(space.ownerId);
  const streams = [...beings].sort().map(personalStream);
  return space.visibility === 'public' ? [DIRECTORY_STREAM, ...streams] : streams;
}

/** A space was created or changed: every list that holds it gets its new state. */
export async function emitSpaceListed(scope: WriteScope, space: BeingRow, before?: BeingRow): Promise<void> {
  const entity = beingView(space);
  const streams = await listsHolding(scope.tx, space);
  scope.emit(...streams.map((stream): PendingSyncEvent => ({ space: stream, type: 'being.upsert', entity })));
  if (before?.visibility === 'public' && space.visibility !== 'public') {
    scope.emit({ space: DIRECTORY_STREAM, type: 'being.remove', entity: { id: space.id } });
  }
}

export function emitSpaceUnlisted(scope: WriteScope, spaceId: string, streams: string[]): void {
  scope.emit(
    ...streams.map(
      (stream): PendingSyncEvent => ({ space: stream, type: 'being.remove', entity: { id: spaceId } }),
    ),
  );
}

/** A person changed their own being: their personal stream carries it too. */
export function emitSelfChanged(scope: WriteScope, person: BeingRow): void {
  scope.emit({ space: personalStream(person.id), type: 'being.upsert', entity: beingView(person) });
}

/** A being became a member: the space appears in its own list. */
export function emitMembershipAdded(scope: WriteScope, space: BeingRow, beingId: string): void {
  scope.emit({ space: personalStream(beingId), type: 'being.upsert', entity: beingView(space) });
}

/**
 * A being stopped being a member: the space leaves its own list (a public one stays in the directory;
 * its owner keeps it).
 */
export function emitMembershipRemoved(scope: WriteScope, space: BeingRow, beingId: string): void {
  if (space.ownerId === beingId) return;
  emitSpaceUnlisted(scope, space.id, [personalStream(beingId)]);
}
