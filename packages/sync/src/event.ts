import { z } from 'zod';
import { BeingViewSchema, IntentionViewSchema } from './entities.ts';

/**
 * A sync event: one committed change in one space. `seq` is assigned per space in the same
 * transaction as the write; `epoch` changes when a space's stream is reset, so a client that
 * holds an old epoch knows its positions are meaningless and reloads a snapshot.
 */
const base = {
  space: z.string(),
  epoch: z.string(),
  seq: z.number().int().positive(),
  at: z.string(),
};

export const SyncEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('being.upsert'), entity: BeingViewSchema }),
  z.object({ ...base, type: z.literal('being.remove'), entity: z.object({ id: z.string() }) }),
  z.object({ ...base, type: z.literal('intention.upsert'), entity: IntentionViewSchema }),
  z.object({ ...base, type: z.literal('intention.remove'), entity: z.object({ id: z.string() }) }),
]);
export type SyncEvent = z.infer<typeof SyncEventSchema>;
export type SyncEventType = SyncEvent['type'];
