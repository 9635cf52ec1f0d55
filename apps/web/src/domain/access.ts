import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../db/database.ts';
import { type BeingRow, beings, spaceMembers, users } from '../db/schema/index.ts';
import type { Viewer } from './actor.ts';
import { notFound } from './errors.ts';
import { canViewWithin, type SpaceAccess } from './permissions.ts';
import { mayReadPersonal, type StreamKind, streamKind } from './streams.ts';

/** Loads the stored rows the permission rules need. Every "not allowed to see" becomes not found. */

export async function loadBeing(q: Queryable, id: string): Promise<BeingRow | undefined> {
  const [row] = await q.select().from(beings).where(eq(beings.id, id)).limit(1);
  return row;
}

export async function isMember(q: Queryable, spaceId: string, beingId: string): Promise<boolean> {
  const [row] = await q
    .select({ spaceId: spaceMembers.spaceId })
    .from(spaceMembers)
    .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.beingId, beingId)))
    .limit(1);
  return row !== undefined;
}

/** The access facts of one being for a viewer (membership only matters for spaces). */
export async function accessOf(q: Queryable, viewer: Viewer, being: BeingRow): Promise<SpaceAccess> {
  const member = being.type === 'space' && viewer !== null && (await isMember(q, being.id, viewer.beingId));
  return { space: being, isMember: member };
}

/**
 * Whether a being (null: a visitor with no session) may see a space now, from stored rows: for live
 * connections, bots and their owners, where there is a being id but no request.
 */
export async function mayViewSpace(q: Queryable, beingId: string | null, spaceId: string): Promise<boolean> {
  let viewer: Viewer = null;
  if (beingId) {
    const [user] = await q
      .select({ superuser: users.superuser })
      .from(users)
      .where(eq(users.beingId, beingId))
      .limit(1);
    viewer = { beingId, superuser: user?.superuser ?? false };
  }
  // Empty when `spaceId` is no space.
  const chain = await spaceChain(q, viewer, await loadAccess(q, viewer, spaceId));
  return chain.length > 0 && canViewWithin(viewer, chain);
}

/**
 * A being and, if it is a space, whether the viewer is a member of it: one statement (a post checks this
 * for its space every time).
 */
async function loadAccess(q: Queryable, viewer: Viewer, id: string): Promise<SpaceAccess | undefined> {
  if (!viewer) {
    const space = await loadBeing(q, id);
    return space && { space, isMember: false };
  }
  const [row] = await q
    .select({
      space: beings,
      member: sql<boolean>`exists (select 1 from ${spaceMembers} where ${spaceMembers.spaceId} = ${beings.id} and ${spaceMembers.beingId} = ${viewer.beingId})`,
    })
    .from(beings)
    .where(eq(beings.id, id))
    .limit(1);
  return row && { space: row.space, isMember: row.space.type === 'space' && row.member };
}

/**
 * The access facts of a space (`first`, as `loadAccess` or `accessOf` gave them) and of every space it is
 * inside, innermost first (`canViewWithin`); empty when `first` is no space. A space inside a space someone
 * may not see is hidden from them too, whatever its own visibility.
 */
async function spaceChain(
  q: Queryable,
  viewer: Viewer,
  first: SpaceAccess | undefined,
): Promise<SpaceAccess[]> {
  const chain: SpaceAccess[] = [];
  const seen = new Set<string>();
  let current = first;
  while (current?.space.type === 'space' && !seen.has(current.space.id)) {
    seen.add(current.space.id);
    chain.push(current);
    const { locationId } = current.space;
    current = locationId ? await loadAccess(q, viewer, locationId) : undefined;
  }
  return chain;
}

/** A space the viewer may see, or NOT_FOUND (also for private spaces, so they stay invisible). */
export async function requireViewableSpace(
  q: Queryable,
  viewer: Viewer,
  spaceId: string,
): Promise<SpaceAccess> {
  const chain = await spaceChain(q, viewer, await loadAccess(q, viewer, spaceId));
  const [access] = chain;
  if (!access || !canViewWithin(viewer, chain)) throw notFound(`Space ${spaceId}`);
  return access;
}

/** A being the viewer may see (a space: with every space it is in; anything else: its location's), or NOT_FOUND. */
export async function requireViewableBeing(q: Queryable, viewer: Viewer, id: string): Promise<BeingRow> {
  const access = await loadAccess(q, viewer, id);
  if (!access) throw notFound(`Being ${id}`);
  const being = access.space;
  const container =
    being.type === 'space'
      ? access
      : being.locationId
        ? await loadAccess(q, viewer, being.locationId)
        : undefined;
  if (!canViewWithin(viewer, await spaceChain(q, viewer, container))) throw notFound(`Being ${id}`);
  return being;
}

/**
 * The same rule as `canViewWithin`, as SQL over a beings table (or alias) for list queries: true for
 * anything that is not a space, and for spaces the viewer may see together with every space they are in
 * (a public space inside a private one is hidden from whoever may not see the private one). The chain is
 * walked by a recursive query, bounded in depth as `assertNotInside` keeps it acyclic.
 */
export function viewableSpaceSql(
  viewer: Viewer,
  table: { id: PgColumn; type: PgColumn; visibility: PgColumn; ownerId: PgColumn; locationId: PgColumn },
): SQL {
  if (viewer?.superuser) return sql`true`;
  const hidden = viewer
    ? sql`chain.owner_id is distinct from ${viewer.beingId} and not exists (select 1 from ${spaceMembers} where ${spaceMembers.spaceId} = chain.id and ${spaceMembers.beingId} = ${viewer.beingId})`
    : sql`true`;
  return sql`(${table.type} <> 'space' or not exists (
    with recursive chain(id, visibility, owner_id, location_id, depth) as (
      select ${table.id}, ${table.visibility}, ${table.ownerId}, ${table.locationId}, 0
      union all
      select p.id, p.visibility, p.owner_id, p.location_id, chain.depth + 1
      from ${beings} p join chain on p.id = chain.location_id
      where p.type = 'space' and chain.depth < 64
    )
    select 1 from chain where chain.visibility is distinct from 'public' and ${hidden}
  ))`;
}

/**
 * A sync stream the viewer may read, or NOT_FOUND: a space's own (who may see the space), the directory
 * (anyone: it lists public spaces only), or a personal stream (its own being only).
 */
export async function requireReadableStream(
  q: Queryable,
  viewer: Viewer,
  stream: string,
): Promise<StreamKind> {
  const kind = streamKind(stream);
  if (!kind) throw notFound(`Stream ${stream}`);
  if (kind.kind === 'space') await requireViewableSpace(q, viewer, kind.spaceId);
  if (kind.kind === 'personal' && !mayReadPersonal(viewer, kind.beingId)) throw notFound(`Stream ${stream}`);
  return kind;
}

/** The same rule from stored rows, for live connections (`admit`, `evict`). */
export async function mayReadStream(q: Queryable, beingId: string | null, stream: string): Promise<boolean> {
  const kind = streamKind(stream);
  if (!kind) return false;
  if (kind.kind === 'directory') return true;
  if (kind.kind === 'personal') return beingId === kind.beingId;
  return mayViewSpace(q, beingId, kind.spaceId);
}
