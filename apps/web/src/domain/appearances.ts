import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Transaction } from '../db/database.ts';
import { type BeingRow, beings, intentions, spaceMembers, syncPresence } from '../db/schema/index.ts';
import { loadBeing, mayViewSpace } from './access.ts';

/**
 * The spaces whose pages show a being although it is not located there: those it wrote in, those it is a
 * member of, and those it is connected to right now (its name is in their presence list). A change to the
 * being (a rename) goes to their streams too, so everyone looking sees it live.
 *
 * Only for a being anyone may see: a being inside a private space, or inside a space within one (and any
 * space itself), is never streamed elsewhere, or its name and location would leak into rooms that may not
 * see it.
 */
export async function spacesShowingBeing(tx: Transaction, row: BeingRow): Promise<string[]> {
  if (row.type === 'space') return [];
  if (row.locationId) {
    const location = await loadBeing(tx, row.locationId);
    // A public space inside a private one is private too: the whole chain decides.
    if (location?.type === 'space' && !(await mayViewSpace(tx, null, location.id))) return [];
  }
  const notHere = (column: typeof intentions.locationId) =>
    row.locationId ? ne(column, row.locationId) : undefined;
  const wrote = await tx
    .selectDistinct({ space: intentions.locationId })
    .from(intentions)
    .where(and(eq(intentions.ownerId, row.id), notHere(intentions.locationId)));
  const memberOf = await tx
    .select({ space: spaceMembers.spaceId })
    .from(spaceMembers)
    .where(eq(spaceMembers.beingId, row.id));
  const presentIn = await tx
    .selectDistinct({ space: syncPresence.spaceId })
    .from(syncPresence)
    .where(eq(syncPresence.beingId, row.id));
  const candidates = new Set([...wrote, ...memberOf, ...presentIn].map((r) => r.space));
  if (row.locationId) candidates.delete(row.locationId);
  if (candidates.size === 0) return [];
  // Presence rows can name a room whose space is gone: only existing spaces get a stream.
  const existing = await tx
    .select({ id: beings.id })
    .from(beings)
    .where(and(inArray(beings.id, [...candidates]), eq(beings.type, 'space')));
  return existing.map((r) => r.id).sort();
}
