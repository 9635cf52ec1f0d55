import { eq } from 'drizzle-orm';
import type { Transaction } from '../db/database.ts';
import { type BeingRow, spaceMembers } from '../db/schema/index.ts';
import { loadBeing, mayViewSpace } from './access.ts';
import type { PendingSyncEvent } from './outbox.ts';
import { beingView } from './projections.ts';
import { withSpacesInside } from './spaces-inside.ts';
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
  return (await inDirectory(tx, space)) ? [DIRECTORY_STREAM, ...streams] : streams;
}

/**
 * The directory holds what a signed-out visitor may see: a public space inside a private one is hidden
 * from visitors (`canViewWithin`), so it is not listed either — its name would reach everyone.
 */
export function inDirectory(tx: Transaction, space: BeingRow): Promise<boolean> {
  return mayViewSpace(tx, null, space.id);
}

/**
 * A space was created or changed: every list that holds it gets its new state. `wasListed` (whether it
 * was in the directory before the write) is given by writes that can change that — its visibility or
 * where it is — and then the spaces inside it follow it into or out of the directory.
 */
export async function emitSpaceListed(
  scope: WriteScope,
  space: BeingRow,
  wasListed?: boolean,
): Promise<void> {
  const entity = beingView(space);
  const streams = await listsHolding(scope.tx, space);
  scope.emit(...streams.map((stream): PendingSyncEvent => ({ space: stream, type: 'being.upsert', entity })));
  if (wasListed === undefined) return;
  const listed = streams.includes(DIRECTORY_STREAM);
  if (listed === wasListed) return;
  if (!listed) scope.emit({ space: DIRECTORY_STREAM, type: 'being.remove', entity: { id: space.id } });
  for (const id of await withSpacesInside(scope.tx, [space.id])) {
    const inner = await loadBeing(scope.tx, id);
    if (!inner) continue;
    if (listed && (await inDirectory(scope.tx, inner))) {
      scope.emit({ space: DIRECTORY_STREAM, type: 'being.upsert', entity: beingView(inner) });
    } else if (!listed && (await publicUpTo(scope.tx, inner, space.id))) {
      // It was listed exactly when the path up to `space` is public; others never reached the directory.
      scope.emit({ space: DIRECTORY_STREAM, type: 'being.remove', entity: { id: inner.id } });
    }
  }
}

/** Whether `space` and every space between it and `ancestorId` (exclusive) are public. */
async function publicUpTo(tx: Transaction, space: BeingRow, ancestorId: string): Promise<boolean> {
  let current: BeingRow | undefined = space;
  while (current && current.id !== ancestorId) {
    if (current.visibility !== 'public') return false;
    current = current.locationId ? await loadBeing(tx, current.locationId) : undefined;
  }
  return true;
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

/**
 * A being became a member: everyone in the space sees the member count follow (the space's own stream),
 * and the space appears in the being's own list.
 */
export function emitMembershipAdded(scope: WriteScope, space: BeingRow, beingId: string): void {
  scope.emit(
    { space: space.id, type: 'member.add', entity: { id: beingId } },
    { space: personalStream(beingId), type: 'being.upsert', entity: beingView(space) },
  );
}

/**
 * A being stopped being a member: the space's own stream counts it no more, and the space leaves the
 * being's list (a public one stays in the directory; its owner keeps it).
 */
export function emitMembershipRemoved(scope: WriteScope, space: BeingRow, beingId: string): void {
  scope.emit({ space: space.id, type: 'member.remove', entity: { id: beingId } });
  if (space.ownerId === beingId) return;
  emitSpaceUnlisted(scope, space.id, [personalStream(beingId)]);
}
