import type { BeingView, SpaceActivity } from '@rhizom/sync';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { beings, spaceMembers } from '../db/schema/index.ts';
import { LISTED_MEMBERS } from '../sync/limits.ts';
import { loadBeing, mayReadStream, requireViewableSpace } from './access.ts';
import { markRead, startReading } from './activity.ts';
import type { Viewer } from './actor.ts';
import { DomainError, notFound, signInRequired } from './errors.ts';
import { canJoinSpace, canManageMembers } from './permissions.ts';
import { beingView } from './projections.ts';
import { spaceInput, spaceMemberInput } from './schemas.ts';
import { emitMembershipAdded, emitMembershipRemoved } from './space-lists.ts';
import { parseInput } from './validate.ts';
import type { Write } from './write.ts';

/** Membership of spaces. Members of a private space can see it; anyone signed in can join a public one. */
export function createSpaceService(deps: { db: Database; write: Write }) {
  const { db, write } = deps;

  return {
    async join(actor: Viewer, raw: { spaceId: string }): Promise<{ spaceId: string; beingId: string }> {
      if (!actor) throw signInRequired();
      const { spaceId } = parseInput(spaceInput, raw);
      return write(async (scope) => {
        const { tx } = scope;
        const access = await requireViewableSpace(tx, actor, spaceId);
        if (!canJoinSpace(actor, access)) throw notFound(`Space ${spaceId}`);
        const added = await tx
          .insert(spaceMembers)
          .values({ spaceId, beingId: actor.beingId })
          .onConflictDoNothing()
          .returning({ beingId: spaceMembers.beingId });
        if (added.length > 0) {
          scope.audit('member joined', { space: spaceId, being: actor.beingId });
          await startReading(tx, actor.beingId, spaceId);
          emitMembershipAdded(scope, access.space, actor.beingId);
        }
        return { spaceId, beingId: actor.beingId };
      });
    },

    async leave(actor: Viewer, raw: { spaceId: string }): Promise<{ spaceId: string; beingId: string }> {
      if (!actor) throw signInRequired();
      const { spaceId } = parseInput(spaceInput, raw);
      return write(async (scope) => {
        const { tx } = scope;
        const { space } = await requireViewableSpace(tx, actor, spaceId);
        const removed = await tx
          .delete(spaceMembers)
          .where(and(eq(spaceMembers.spaceId, spaceId), eq(spaceMembers.beingId, actor.beingId)))
          .returning({ beingId: spaceMembers.beingId });
        if (removed.length > 0) {
          scope.audit('member left', { space: spaceId, being: actor.beingId });
          emitMembershipRemoved(scope, space, actor.beingId);
        }
        if (space.visibility === 'private') scope.narrowAccess(spaceId);
        return { spaceId, beingId: actor.beingId };
      });
    },

    /**
     * Whether a being (null: a visitor with no session) may read a sync stream now — a space's, the
     * directory or a personal one — from stored rows: the check for live connections after a write
     * narrowed who may see a space, and on every join to any room.
     */
    mayView(beingId: string | null, stream: string): Promise<boolean> {
      return mayReadStream(db, beingId, stream);
    },

    /** The owner (or a superuser) adds someone: the way into a private space. */
    async addMember(
      actor: Viewer,
      raw: { spaceId: string; beingId: string },
    ): Promise<{ spaceId: string; beingId: string }> {
      if (!actor) throw signInRequired();
      const input = parseInput(spaceMemberInput, raw);
      return write(async (scope) => {
        const { tx } = scope;
        const { space } = await requireViewableSpace(tx, actor, input.spaceId);
        if (!canManageMembers(actor, space)) {
          throw new DomainError('FORBIDDEN', `Only the owner of ${space.id} can add members.`);
        }
        const being = await loadBeing(tx, input.beingId);
        if (!being) throw notFound(`Being ${input.beingId}`);
        const added = await tx
          .insert(spaceMembers)
          .values({ spaceId: space.id, beingId: being.id })
          .onConflictDoNothing()
          .returning({ beingId: spaceMembers.beingId });
        if (added.length > 0) {
          scope.audit('member added', { space: space.id, being: being.id, by: actor.beingId });
          await startReading(tx, being.id, space.id);
          emitMembershipAdded(scope, space, being.id);
        }
        return { spaceId: space.id, beingId: being.id };
      });
    },

    /** The owner (or a superuser) removes a member; in a private space that ends their sight of it. */
    async removeMember(
      actor: Viewer,
      raw: { spaceId: string; beingId: string },
    ): Promise<{ spaceId: string; beingId: string }> {
      if (!actor) throw signInRequired();
      const input = parseInput(spaceMemberInput, raw);
      return write(async (scope) => {
        const { tx } = scope;
        const { space } = await requireViewableSpace(tx, actor, input.spaceId);
        if (!canManageMembers(actor, space)) {
          throw new DomainError('FORBIDDEN', `Only the owner of ${space.id} can remove members.`);
        }
        const removed = await tx
          .delete(spaceMembers)
          .where(and(eq(spaceMembers.spaceId, space.id), eq(spaceMembers.beingId, input.beingId)))
          .returning({ beingId: spaceMembers.beingId });
        if (removed.length === 0) throw notFound(`Member ${input.beingId} of ${space.id}`);
        scope.audit('member removed', { space: space.id, being: input.beingId, by: actor.beingId });
        emitMembershipRemoved(scope, space, input.beingId);
        if (space.visibility === 'private') scope.narrowAccess(space.id);
        return { spaceId: space.id, beingId: input.beingId };
      });
    },

    /**
     * The person has seen everything in the space (it is open and visible): unread goes to zero, in every
     * tab of theirs, through their personal stream.
     */
    async markRead(actor: Viewer, raw: { spaceId: string }): Promise<SpaceActivity> {
      if (!actor) throw signInRequired();
      const { spaceId } = parseInput(spaceInput, raw);
      return write(async (scope) => {
        await requireViewableSpace(scope.tx, actor, spaceId);
        return markRead(scope, actor.beingId, spaceId);
      });
    },

    /** The first members to join, at most `LISTED_MEMBERS` (the space's stream keeps their count). */
    async members(viewer: Viewer, raw: { spaceId: string }): Promise<BeingView[]> {
      const { spaceId } = parseInput(spaceInput, raw);
      await requireViewableSpace(db, viewer, spaceId);
      const rows = await db
        .select({ being: beings })
        .from(spaceMembers)
        .innerJoin(beings, eq(beings.id, spaceMembers.beingId))
        .where(eq(spaceMembers.spaceId, spaceId))
        .orderBy(asc(spaceMembers.joinedAt), asc(beings.id))
        .limit(LISTED_MEMBERS);
      return rows.map((row) => beingView(row.being));
    },
  };
}

export type SpaceService = ReturnType<typeof createSpaceService>;
