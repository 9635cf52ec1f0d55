import { spaceInput, spaceMemberInput } from '../../domain/schemas.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

export const spaceRouter = router({
  join: authedProcedure
    .input(spaceInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.spaces.join(ctx.actor, input)),
  leave: authedProcedure
    .input(spaceInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.spaces.leave(ctx.actor, input)),
  /** Owner only: how someone gets into a private space. */
  addMember: authedProcedure
    .input(spaceMemberInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.spaces.addMember(ctx.actor, input)),
  /** Owner only: in a private space, the removed member's open pages lose it at once. */
  removeMember: authedProcedure
    .input(spaceMemberInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.spaces.removeMember(ctx.actor, input)),
  /** The space is open and visible: its unread count goes to zero in every tab of this person. */
  markRead: authedProcedure
    .input(spaceInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.spaces.markRead(ctx.actor, input)),
  members: publicProcedure
    .input(spaceInput)
    .query(({ ctx, input }) => ctx.runtime.domain.spaces.members(ctx.actor, input)),
});
