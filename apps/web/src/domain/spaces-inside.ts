import { and, eq, inArray } from 'drizzle-orm';
import type { Transaction } from '../db/database.ts';
import { beings } from '../db/schema/index.ts';

/**
 * The spaces located inside any of `spaceIds`, at any depth (without `spaceIds` themselves): who may see
 * them narrows with their container (`canViewWithin`). One statement per level of nesting.
 */
export async function withSpacesInside(tx: Transaction, spaceIds: readonly string[]): Promise<string[]> {
  const seen = new Set(spaceIds);
  const found: string[] = [];
  let level = [...spaceIds];
  while (level.length > 0) {
    const rows = await tx
      .select({ id: beings.id })
      .from(beings)
      .where(and(eq(beings.type, 'space'), inArray(beings.locationId, level)));
    level = rows.map((row) => row.id).filter((id) => !seen.has(id));
    for (const id of level) seen.add(id);
    found.push(...level);
  }
  return found;
}
