import { and, eq } from 'drizzle-orm';
import { beings } from '../db/schema/index.ts';
import { mayViewSpace } from './access.ts';
import { emitBeingRemove, emitBeingUpsert, locationLeft } from './being-events.ts';
import type { WriteScope } from './write.ts';

/**
 * After a write narrowed who may see a space: every bot there whose owner may no longer see it leaves
 * for the top level, in the same transaction, with its events. A bot sends the conversation to a
 * provider its owner chose, so it must not stay where its owner could not read.
 */
export async function botsLeaveUnseen(scope: WriteScope, spaceId: string): Promise<void> {
  const bots = await scope.tx
    .select()
    .from(beings)
    .where(and(eq(beings.locationId, spaceId), eq(beings.type, 'bot')))
    .for('update');
  for (const bot of bots) {
    if (await mayViewSpace(scope.tx, bot.ownerId, spaceId)) continue;
    const [moved] = await scope.tx
      .update(beings)
      .set({ locationId: null, modifiedAt: new Date() })
      .where(eq(beings.id, bot.id))
      .returning();
    if (!moved) continue;
    emitBeingRemove(scope, bot, locationLeft(bot, moved));
    emitBeingUpsert(scope, moved);
  }
}
