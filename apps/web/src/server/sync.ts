import { type SyncServer, startSyncServer } from '@rhizom/sync/server';
import { and, desc, eq, ne, or } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, Transaction } from '../db/database.ts';
import { beings, intentions } from '../db/schema/index.ts';
import { beingView, intentionView } from '../domain/projections.ts';
import { SNAPSHOT_INTENTIONS } from '../sync/limits.ts';
import type { LiveKitConfig, RuntimeConfig } from './config.ts';

/** Beings located in one space that a snapshot carries. */
const SNAPSHOT_BEINGS = 500;

export type Sync = SyncServer;

/**
 * The app's sync worker: broadcasts outbox events, answers catch-up with the app's projections, issues
 * join tokens, keeps presence from webhooks. Callers check permissions before calling it.
 */
export function startSync(options: {
  db: Database;
  logger: Logger;
  /** Unset: live broadcasting is off (catch-up still works). */
  livekit?: LiveKitConfig;
  retention?: RuntimeConfig['syncRetention'];
  /** Whether a being (null: a signed-out visitor) may see a space now: who may stay in its room. */
  mayView: (beingId: string | null, space: string) => Promise<boolean>;
}): Sync {
  return startSyncServer({
    db: options.db,
    logger: options.logger,
    livekit: options.livekit,
    retention: options.retention,
    admit: (space, { beingId }) => options.mayView(beingId, space),
    async loadSpace(syncTx, space) {
      const tx = syncTx as unknown as Transaction;
      const beingRows = await tx
        .select()
        .from(beings)
        .where(
          or(
            eq(beings.id, space),
            // A private space inside is not for this space's viewers (domain/being-events.ts).
            and(eq(beings.locationId, space), or(ne(beings.type, 'space'), eq(beings.visibility, 'public'))),
          ),
        )
        .limit(SNAPSHOT_BEINGS);
      const intentionRows = await tx
        .select()
        .from(intentions)
        .where(eq(intentions.locationId, space))
        .orderBy(desc(intentions.createdAt), desc(intentions.id))
        .limit(SNAPSHOT_INTENTIONS);
      return { beings: beingRows.map(beingView), intentions: intentionRows.reverse().map(intentionView) };
    },
  });
}
