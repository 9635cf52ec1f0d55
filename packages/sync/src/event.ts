import * as z from 'zod/mini';
import { BeingViewSchema, IntentionViewSchema, SpaceActivitySchema } from './entities.ts';
import { intentionStates } from './kinds.ts';

/**
 * A sync event: one committed change in one space. `seq` is assigned per space in the same
 * transaction as the write; `epoch` changes when a space's stream is reset, so a client that
 * holds an old epoch knows its positions are meaningless and reloads a snapshot.
 */
const base = {
  space: z.string(),
  epoch: z.string(),
  seq: z.int().check(z.positive()),
  at: z.string(),
};

/**
 * Text added to the end of an intention (a streaming bot reply), so each update costs its new text rather
 * than the whole reply. `offset` is the content's length before the append, in JavaScript string units
 * (UTF-16), as the writer read it; a client whose copy has another length reloads instead of guessing.
 */
export const IntentionAppendSchema = z.object({
  id: z.string(),
  offset: z.int().check(z.nonnegative()),
  text: z.string(),
  state: z.enum(intentionStates),
  modifiedAt: z.string(),
});
export type IntentionAppend = z.infer<typeof IntentionAppendSchema>;

export const SyncEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('being.upsert'), entity: BeingViewSchema }),
  z.object({ ...base, type: z.literal('being.remove'), entity: z.object({ id: z.string() }) }),
  z.object({ ...base, type: z.literal('intention.upsert'), entity: IntentionViewSchema }),
  z.object({ ...base, type: z.literal('intention.remove'), entity: z.object({ id: z.string() }) }),
  z.object({ ...base, type: z.literal('intention.append'), entity: IntentionAppendSchema }),
  z.object({ ...base, type: z.literal('activity.upsert'), entity: SpaceActivitySchema }),
  /** A being became a member of the space (`{ id }` of the being), in the space's own stream. */
  z.object({ ...base, type: z.literal('member.add'), entity: z.object({ id: z.string() }) }),
  z.object({ ...base, type: z.literal('member.remove'), entity: z.object({ id: z.string() }) }),
]);
export type SyncEvent = z.infer<typeof SyncEventSchema>;
export type SyncEventType = SyncEvent['type'];
