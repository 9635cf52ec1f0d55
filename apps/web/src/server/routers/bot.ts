import { z } from 'zod';
import { createBotService, updateBotSettingsInput } from '../../bots/service.ts';
import { setApiKeyInput } from '../../domain/bot-secrets.ts';
import { beingIdSchema } from '../../domain/schemas.ts';
import type { Context } from '../trpc.ts';
import { authedProcedure, router } from '../trpc.ts';

const service = (ctx: Context) => createBotService({ domain: ctx.runtime.domain, bots: ctx.runtime.bots });

/**
 * Bot configuration (owner-only) and Stop for replies in progress. No procedure returns a bot's API key:
 * `settings` says only `hasKey`, and `setKey` answers the same.
 */
export const botRouter = router({
  settings: authedProcedure
    .input(z.strictObject({ botId: beingIdSchema }))
    .query(({ ctx, input }) => service(ctx).settings(ctx.actor, input.botId)),
  updateSettings: authedProcedure
    .input(updateBotSettingsInput)
    .mutation(({ ctx, input }) => service(ctx).updateSettings(ctx.actor, input)),
  setKey: authedProcedure
    .input(setApiKeyInput)
    .mutation(({ ctx, input }) => service(ctx).setKey(ctx.actor, input)),
  cancelReply: authedProcedure
    .input(z.strictObject({ replyId: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) => service(ctx).cancelReply(ctx.actor, input.replyId)),
});
