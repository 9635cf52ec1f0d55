import { z } from 'zod';
import { requireReadableStream, requireViewableSpace } from '../../domain/access.ts';
import { beingIdSchema, streamIdSchema } from '../../domain/schemas.ts';
import { readStreamSnapshot } from '../stream-snapshot.ts';
import { publicProcedure, router } from '../trpc.ts';

const spaceInput = z.strictObject({ spaceId: beingIdSchema });
/** A space's stream, the directory or a personal stream: see domain/streams.ts. */
const streamInput = z.strictObject({ spaceId: streamIdSchema });

/**
 * Initial load, catch-up, keys and presence for live sync; only for people who can view the space. These
 * answers (and only these) carry a space's sealing key, so the check here is what keeps a private space's
 * packets unreadable to everyone else.
 */
export const syncRouter = router({
  /** The space's beings and recent intentions, exact at the returned `seq`, with the keys as of then. */
  snapshot: publicProcedure
    .input(streamInput)
    .query(({ ctx, input }) => readStreamSnapshot(ctx.runtime, ctx.actor, input.spaceId)),
  /** Every event after `afterSeq` (the whole gap), or `{ kind: 'reset', snapshot }`. */
  since: publicProcedure
    .input(
      streamInput.extend({
        epoch: z.string().min(1).max(100),
        afterSeq: z.number().int().nonnegative(),
      }),
    )
    .query(async ({ ctx, input }) => {
      await requireReadableStream(ctx.runtime.db, ctx.actor, input.spaceId);
      return ctx.runtime.sync.since({ space: input.spaceId, epoch: input.epoch, afterSeq: input.afterSeq });
    }),
  /**
   * The keys that open the space's packets now: its current sealing key and the published signing keys.
   * A client asks when a packet names a key id it does not hold (a rotation since its last answer).
   */
  keys: publicProcedure.input(streamInput).query(async ({ ctx, input }) => {
    await requireReadableStream(ctx.runtime.db, ctx.actor, input.spaceId);
    return ctx.runtime.sync.keys(input.spaceId);
  }),
  /** Who is connected, from LiveKit's webhooks: one entry per being, with its number of connections. */
  presence: publicProcedure.input(spaceInput).query(async ({ ctx, input }) => {
    await requireViewableSpace(ctx.runtime.db, ctx.actor, input.spaceId);
    return ctx.runtime.sync.presence.list(input.spaceId);
  }),
});
