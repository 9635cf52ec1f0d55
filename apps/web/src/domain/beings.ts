import type { BeingView } from '@rhizom/sync';
import { and, asc, eq, gt, ilike, inArray, isNull, ne, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from '../db/database.ts';
import { type BeingRow, beings, spaceMembers, users } from '../db/schema/index.ts';
import {
  loadBeing,
  mayViewSpace,
  requireViewableBeing,
  requireViewableSpace,
  viewableSpaceSql,
} from './access.ts';
import type { Actor, Viewer } from './actor.ts';
import { spacesShowingBeing } from './appearances.ts';
import { emitBeingRemove, emitBeingUpsert, locationLeft } from './being-events.ts';
import { DomainError, signInRequired } from './errors.ts';
import { slugFromName, withSecretSuffix, withSuffix } from './ids.ts';
import { likePattern, type Page, toPage } from './page.ts';
import { canEditBeing } from './permissions.ts';
import { beingView } from './projections.ts';
import {
  type CreateBeingInput,
  createBeingInput,
  type ListInLocationInput,
  listInLocationInput,
  type MoveBeingInput,
  moveBeingInput,
  type SearchBeingsInput,
  searchBeingsInput,
  type UpdateBeingInput,
  updateBeingInput,
} from './schemas.ts';
import {
  emitSelfChanged,
  emitSpaceListed,
  emitSpaceUnlisted,
  inDirectory,
  listsHolding,
} from './space-lists.ts';
import { parseInput } from './validate.ts';
import type { Write, WriteScope } from './write.ts';

export type NewBeing = Omit<typeof beings.$inferInsert, 'id' | 'createdAt' | 'modifiedAt'> & { id?: string };

/**
 * Inserts a being (system level: callers check permissions) and emits its upsert. A chosen id that is
 * taken is a conflict, the same answer whoever holds it; an id derived from the name gets a short suffix
 * until it is free. A being born private gets a derived id with an unguessable suffix always (`ids.ts`).
 */
export async function insertBeing(
  scope: WriteScope,
  values: NewBeing,
  options: { bornPrivate?: boolean } = {},
): Promise<BeingRow> {
  const chosen = values.id;
  // A name with too few usable letters ("✨", "A") falls back to the type: @space, @guest-3f9a1c, …
  const slug = () => slugFromName(values.name, values.type);
  let candidate = chosen ?? (options.bornPrivate ? withSecretSuffix(slug()) : slug());
  for (let attempt = 0; attempt < 8; attempt++) {
    const now = new Date();
    const [row] = await scope.tx
      .insert(beings)
      .values({ ...values, id: candidate, createdAt: now, modifiedAt: now })
      .onConflictDoNothing({ target: beings.id })
      .returning();
    if (row) {
      emitBeingUpsert(scope, row);
      return row;
    }
    if (chosen) throw new DomainError('CONFLICT', `The id ${chosen} is taken; choose another one.`);
    candidate = options.bornPrivate ? withSecretSuffix(slug()) : withSuffix(slug());
  }
  throw new DomainError('CONFLICT', `Could not find a free id for "${values.name}"; choose an id yourself.`);
}

/** Locks and returns a being the actor may edit: NOT_FOUND if they cannot see it, FORBIDDEN if not theirs. */
async function requireEditable(tx: Transaction, actor: Actor, id: string): Promise<BeingRow> {
  await requireViewableBeing(tx, actor, id);
  const [row] = await tx.select().from(beings).where(eq(beings.id, id)).for('update');
  if (!row) throw new DomainError('NOT_FOUND', `Being ${id} was not found.`);
  if (!canEditBeing(actor, row)) {
    throw new DomainError('FORBIDDEN', `Only the owner of ${id} can change it.`);
  }
  return row;
}

/** A location must be a space the actor can see (and so post in). */
async function requireLocation(tx: Transaction, actor: Actor, locationId: string): Promise<BeingRow> {
  const target = await loadBeing(tx, locationId);
  if (target && target.type !== 'space') {
    throw new DomainError(
      'BAD_REQUEST',
      `Beings can only be placed in spaces; ${locationId} is a ${target.type}.`,
    );
  }
  return (await requireViewableSpace(tx, actor, locationId)).space;
}

export function createBeingService(deps: { db: Database; write: Write }) {
  const { db, write } = deps;

  return {
    async get(viewer: Viewer, id: string): Promise<BeingView> {
      return beingView(await requireViewableBeing(db, viewer, id));
    },

    async listInLocation(viewer: Viewer, raw: ListInLocationInput): Promise<Page<BeingView>> {
      const input = parseInput(listInLocationInput, raw);
      await requireViewableSpace(db, viewer, input.locationId);
      const rows = await db
        .select()
        .from(beings)
        .where(
          and(
            eq(beings.locationId, input.locationId),
            viewableSpaceSql(viewer, beings),
            input.cursor ? gt(beings.id, input.cursor) : undefined,
          ),
        )
        .orderBy(asc(beings.id))
        .limit(input.limit + 1);
      return toPage(rows, input.limit, beingView, (row) => row.id);
    },

    async search(viewer: Viewer, raw: SearchBeingsInput): Promise<Page<BeingView>> {
      const input = parseInput(searchBeingsInput, raw);
      const location = alias(beings, 'location');
      const text: SQL | undefined = input.query
        ? or(ilike(beings.name, likePattern(input.query)), ilike(beings.id, likePattern(input.query)))
        : undefined;
      const rows = await db
        .select({ being: beings })
        .from(beings)
        .leftJoin(location, eq(location.id, beings.locationId))
        .where(
          and(
            text,
            input.type ? eq(beings.type, input.type) : undefined,
            viewableSpaceSql(viewer, beings),
            or(isNull(location.id), viewableSpaceSql(viewer, location)),
            input.cursor ? gt(beings.id, input.cursor) : undefined,
          ),
        )
        .orderBy(asc(beings.id))
        .limit(input.limit + 1);
      return toPage(
        rows,
        input.limit,
        (row) => beingView(row.being),
        (row) => row.being.id,
      );
    },

    async create(actor: Viewer, raw: CreateBeingInput): Promise<BeingView> {
      if (!actor) throw signInRequired();
      const input = parseInput(createBeingInput, raw);
      if (input.type !== 'space' && input.visibility) {
        throw new DomainError('BAD_REQUEST', 'Only spaces have a visibility; leave it out for other beings.');
      }
      return write(async (scope) => {
        const location = input.locationId ? await requireLocation(scope.tx, actor, input.locationId) : null;
        // Inside a private space, or inside a public space within one: no one else may learn its id.
        const bornPrivate =
          (input.type === 'space' && input.visibility === 'private') ||
          (location !== null && !(await mayViewSpace(scope.tx, null, location.id)));
        const row = await insertBeing(
          scope,
          {
            id: input.id,
            name: input.name,
            type: input.type,
            ownerId: actor.beingId,
            locationId: input.locationId ?? null,
            content: input.content ?? '',
            properties: input.properties ?? {},
            visibility: input.type === 'space' ? (input.visibility ?? 'public') : null,
          },
          { bornPrivate },
        );
        if (row.type === 'space') {
          await scope.tx.insert(spaceMembers).values({ spaceId: row.id, beingId: actor.beingId });
          await emitSpaceListed(scope, row);
          scope.audit('space created', { space: row.id, by: actor.beingId, visibility: row.visibility });
        }
        return beingView(row);
      });
    },

    async update(actor: Viewer, raw: UpdateBeingInput): Promise<BeingView> {
      if (!actor) throw signInRequired();
      const input = parseInput(updateBeingInput, raw);
      return write(async (scope) => {
        const current = await requireEditable(scope.tx, actor, input.id);
        if (input.visibility && current.type !== 'space') {
          throw new DomainError(
            'BAD_REQUEST',
            `Only spaces have a visibility; ${current.id} is a ${current.type}.`,
          );
        }
        const wasListed = current.type === 'space' && (await inDirectory(scope.tx, current));
        const [row] = await scope.tx
          .update(beings)
          .set({
            name: input.name,
            content: input.content,
            properties: input.properties,
            visibility: input.visibility,
            modifiedAt: new Date(),
          })
          .where(eq(beings.id, current.id))
          .returning();
        if (!row) throw new DomainError('NOT_FOUND', `Being ${input.id} was not found.`);
        emitBeingRemove(scope, row, locationLeft(current, row));
        // A rename shows wherever the being does: beside its messages, in member and presence lists.
        emitBeingUpsert(scope, row, await spacesShowingBeing(scope.tx, row));
        if (row.type === 'space') await emitSpaceListed(scope, row, wasListed);
        // A person's own name and picture, in the rail of every tab of theirs.
        if (row.type === 'guest' && row.ownerId === row.id) emitSelfChanged(scope, row);
        if (current.visibility === 'public' && row.visibility === 'private') scope.narrowAccess(row.id);
        return beingView(row);
      });
    },

    async move(actor: Viewer, raw: MoveBeingInput): Promise<BeingView> {
      if (!actor) throw signInRequired();
      const input = parseInput(moveBeingInput, raw);
      return write(async (scope) => {
        const current = await requireEditable(scope.tx, actor, input.id);
        if (input.locationId) {
          await requireLocation(scope.tx, actor, input.locationId);
          await assertNotInside(scope.tx, input.locationId, current.id);
        }
        if (current.locationId === input.locationId) return beingView(current);
        const wasListed = current.type === 'space' && (await inDirectory(scope.tx, current));
        const [row] = await scope.tx
          .update(beings)
          .set({ locationId: input.locationId, modifiedAt: new Date() })
          .where(eq(beings.id, current.id))
          .returning();
        if (!row) throw new DomainError('NOT_FOUND', `Being ${input.id} was not found.`);
        emitBeingRemove(scope, current, locationLeft(current, row));
        emitBeingUpsert(scope, row);
        if (row.type === 'space') await emitSpaceListed(scope, row, wasListed);
        if (await movingNarrows(scope.tx, row)) scope.narrowAccess(row.id);
        return beingView(row);
      });
    },

    async delete(actor: Viewer, id: string): Promise<{ id: string }> {
      if (!actor) throw signInRequired();
      return write(async (scope) => {
        const current = await requireEditable(scope.tx, actor, id);
        const [person] = await scope.tx
          .select({ id: users.id })
          .from(users)
          .where(eq(users.beingId, id))
          .limit(1);
        if (person) {
          throw new DomainError(
            'BAD_REQUEST',
            `${id} is a person's own being; it goes away only with their account.`,
          );
        }
        await deleteBeing(scope, current);
        scope.audit('being deleted', { being: id, type: current.type, by: actor.beingId });
        return { id };
      });
    },
  };
}

export type BeingService = ReturnType<typeof createBeingService>;

/**
 * Deletes a being (system level: callers check permissions). What it owned stays, ownerless (only a
 * superuser may change it then); clients see the new owner. A space is emptied first (`emptySpace`).
 */
async function deleteBeing(scope: WriteScope, row: BeingRow, withContents = false): Promise<void> {
  // Read before the delete: its memberships go with it.
  const lists = row.type === 'space' ? await listsHolding(scope.tx, row) : [];
  const memberOf = await scope.tx
    .select({ spaceId: spaceMembers.spaceId })
    .from(spaceMembers)
    .where(eq(spaceMembers.beingId, row.id));
  if (row.type === 'space') await emptySpace(scope, row, withContents);
  const orphans = await scope.tx
    .update(beings)
    .set({ ownerId: null, modifiedAt: new Date() })
    .where(and(eq(beings.ownerId, row.id), ne(beings.id, row.id)))
    .returning();
  for (const orphan of orphans) emitBeingUpsert(scope, orphan);
  await scope.tx.delete(beings).where(eq(beings.id, row.id));
  if (row.type === 'space') scope.narrowAccess(row.id);
  emitBeingRemove(scope, row);
  emitSpaceUnlisted(scope, row.id, lists);
  // Their member counts follow, as on a leave.
  for (const { spaceId } of memberOf) {
    scope.emit({ space: spaceId, type: 'member.remove', entity: { id: row.id } });
  }
}

/**
 * Deleting a space never makes what it held more visible. Everything in a space visitors may see (public,
 * and inside no space they may not) was visible to anyone, so it moves to the top level, exactly as
 * visible. What any other space held was visible only
 * to its viewers, and at the top level it would be anyone's (a document's content, in signed-out search
 * too), so it is deleted with the space, with everything under it (`withContents`). A person's own being
 * is never deleted: it moves to the top level, where people's beings are anyway.
 */
async function emptySpace(scope: WriteScope, space: BeingRow, withContents: boolean): Promise<void> {
  const inside = await scope.tx.select().from(beings).where(eq(beings.locationId, space.id));
  if (inside.length === 0) return;
  // Visible to everyone is what may go to the top level: a public space inside a private one is not.
  const deleteContents = withContents || !(await inDirectory(scope.tx, space));
  const people = new Set(
    (
      await scope.tx
        .select({ beingId: users.beingId })
        .from(users)
        .where(
          inArray(
            users.beingId,
            inside.map((row) => row.id),
          ),
        )
    ).map((row) => row.beingId),
  );
  for (const row of inside) {
    if (deleteContents && !people.has(row.id)) {
      await deleteBeing(scope, row, true);
      continue;
    }
    const [moved] = await scope.tx
      .update(beings)
      .set({ locationId: null, modifiedAt: new Date() })
      .where(eq(beings.id, row.id))
      .returning();
    if (!moved) continue;
    emitBeingRemove(scope, row, locationLeft(row, moved));
    emitBeingUpsert(scope, moved);
  }
}

/**
 * Whether a being just moved to `moved.locationId` is now seen by fewer: only a space (who may see
 * anything else follows its location, whose stream its events now go to), and only when the new location
 * is not open to everyone, since a space is hidden from whoever may not see a space it is in
 * (`canViewWithin`). Into a space everyone may see (or to the top level) nobody loses sight. A person's or
 * bot's location grants nobody sight of anything (membership does), so moving them narrows nothing; a bot
 * only ever replies where its owner may see (`bots/domain-store.ts`).
 */
async function movingNarrows(tx: Transaction, moved: BeingRow): Promise<boolean> {
  if (moved.type !== 'space' || !moved.locationId) return false;
  return !(await mayViewSpace(tx, null, moved.locationId));
}

/** Refuses to put a being inside itself, directly or through the spaces that contain the target. */
async function assertNotInside(tx: Transaction, targetId: string, beingId: string): Promise<void> {
  const seen = new Set<string>();
  let cursor: string | null = targetId;
  while (cursor && !seen.has(cursor)) {
    if (cursor === beingId) {
      throw new DomainError(
        'BAD_REQUEST',
        `${beingId} cannot be moved into itself or into a space inside it.`,
      );
    }
    seen.add(cursor);
    cursor = (await loadBeing(tx, cursor))?.locationId ?? null;
  }
}
