import { z } from 'zod';
import {
  createUtteranceInput,
  editUtteranceInput,
  listIntentionsInput,
  removeIntentionInput,
} from '../../domain/schemas.ts';
import { authedProcedure, publicProcedure, router } from '../trpc.ts';

export const intentionRouter = router({
  /** Newest first; pass `nextCursor` back as `cursor` for older ones. */
  list: publicProcedure
    .input(listIntentionsInput)
    .query(({ ctx, input }) => ctx.runtime.domain.intentions.list(ctx.actor, input)),
  get: publicProcedure
    .input(z.strictObject({ id: z.string().min(1).max(100) }))
    .query(({ ctx, input }) => ctx.runtime.domain.intentions.get(ctx.actor, input.id)),
  createUtterance: authedProcedure
    .input(createUtteranceInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.intentions.createUtterance(ctx.actor, input)),
  editUtterance: authedProcedure
    .input(editUtteranceInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.intentions.editUtterance(ctx.actor, input)),
  remove: authedProcedure
    .input(removeIntentionInput)
    .mutation(({ ctx, input }) => ctx.runtime.domain.intentions.remove(ctx.actor, input)),
});
