import { LiveSyncUnavailable } from '@rhizom/sync/server';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { loadBeing, requireReadableStream } from '../../domain/access.ts';
import { streamIdSchema } from '../../domain/schemas.ts';
import { publicProcedure, router } from '../trpc.ts';

export const livekitRouter = router({
  /**
   * A token for the space's room, for anyone who can view the space. Signed-in people join as themselves
   * (one identity per connection, being id in an attribute) and may publish their presence heartbeat;
   * visitors join hidden and only listen. Everyone joins the directory's room hidden: it holds every open
   * tab, and who is online is nobody's business.
   */
  getJoinToken: publicProcedure
    // A space's room, the directory's or the caller's own personal room (domain/streams.ts).
    .input(z.strictObject({ spaceId: streamIdSchema }))
    .mutation(async ({ ctx, input }) => {
      const { db, sync } = ctx.runtime;
      const stream = await requireReadableStream(db, ctx.actor, input.spaceId);
      const being =
        ctx.actor && stream.kind !== 'directory' ? await loadBeing(db, ctx.actor.beingId) : undefined;
      try {
        const { url, token } = await sync.joinToken({
          space: input.spaceId,
          beingId: being?.id ?? null,
          name: being?.name ?? 'Visitor',
          presence: stream.kind === 'space',
        });
        return { url, token };
      } catch (error) {
        if (error instanceof LiveSyncUnavailable) {
          throw new TRPCError({ code: 'PRECONDITION_FAILED', message: error.message });
        }
        throw error;
      }
    }),
});
