import type { BeingRow } from '../db/schema/index.ts';
import type { PendingSyncEvent } from './outbox.ts';
import { beingView } from './projections.ts';
import type { WriteScope } from './write.ts';

/**
 * Whether everyone who may see a space may also see this being inside it. Not so for a private space:
 * its own viewers are not its location's, so it must never reach its location's stream (snapshot,
 * catch-up, packets). Its viewers see it through its own stream and their own lists.
 */
export function visibleInLocation(row: Pick<BeingRow, 'type' | 'visibility'>): boolean {
  return row.type !== 'space' || row.visibility === 'public';
}

/**
 * Where a being's changes are streamed: the space it is in when everyone there may see it, and its own
 * stream if it is a space. Events only go to streams whose viewers may see the being.
 */
export function beingStreams(row: Pick<BeingRow, 'id' | 'type' | 'locationId' | 'visibility'>): string[] {
  const streams: string[] = [];
  if (row.locationId && visibleInLocation(row)) streams.push(row.locationId);
  if (row.type === 'space' && row.id !== row.locationId) streams.push(row.id);
  return streams;
}

/** `alsoTo`: spaces that show the being although it is not located there (`appearances.ts`). */
export function emitBeingUpsert(scope: WriteScope, row: BeingRow, alsoTo: string[] = []): void {
  const entity = beingView(row);
  const spaces = [...new Set([...beingStreams(row), ...alsoTo])];
  scope.emit(...spaces.map((space): PendingSyncEvent => ({ space, type: 'being.upsert', entity })));
}

export function emitBeingRemove(
  scope: WriteScope,
  row: BeingRow,
  spaces: string[] = beingStreams(row),
): void {
  scope.emit(
    ...spaces.map((space): PendingSyncEvent => ({ space, type: 'being.remove', entity: { id: row.id } })),
  );
}

/**
 * The location stream that showed `before`, when the being is no longer visible there as `after` (it
 * moved away, or became a private space): that stream hears it go. Viewers who never saw it hear nothing.
 */
export function locationLeft(before: BeingRow, after: BeingRow): string[] {
  if (!before.locationId || !visibleInLocation(before)) return [];
  const stillThere = after.locationId === before.locationId && visibleInLocation(after);
  return stillThere ? [] : [before.locationId];
}
