import { z } from 'zod';
import {
  beingIdSchema,
  createBeingInput,
  listInLocationInput,
  moveBeingInput,
  searchBeingsInput,
  updateBeingInput,
} from '../../domain/schemas.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

const idInput = z.strictObject({ id: beingIdSchema });

export const beingRouter = router({
  /** The caller's own being, or null without a session. */
  me: publicProcedure.query(({ ctx }) =>
    ctx.actor ? ctx.runtime.domain.beings.get(ctx.actor, ctx.actor.beingId) : null,
  ),
  get: publicProcedure
    .input(idInput)
    .query(({ ctx, input }) => ctx.runtime.domain.beings.get(ctx.actor, input.id)),
  listInLocation: publicProcedure
    .input(listInLocationInput)
    .query(({ ctx, input }) => ctx.runtime.domain.beings.listInLocation(ctx.actor, input)),
  search: publicProcedure
    .input(searchBeingsInput)
    .query(({ ctx, input }) => ctx.runtime.domain.beings.search(ctx.actor, input)),
  create: authedProcedure
    .input(createBeingInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.beings.create(ctx.actor, input)),
  update: authedProcedure
    .input(updateBeingInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.beings.update(ctx.actor, input)),
  move: authedProcedure
    .input(moveBeingInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.beings.move(ctx.actor, input)),
  delete: authedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.beings.delete(ctx.actor, input.id)),
});
