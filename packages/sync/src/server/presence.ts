import { and, eq, lt, notInArray } from 'drizzle-orm';
import type { WebhookEvent } from 'livekit-server-sdk';
import type { Logger } from 'pino';
import type { SyncDatabase } from './database.ts';
import { BEING_ATTRIBUTE } from './join-token.ts';
import { syncPresence } from './schema.ts';

/** One being's connections to a space as the webhooks recorded them (the client has its own view). */
export interface RecordedPresence {
  beingId: string;
  connections: number;
  since: Date;
}

/**
 * Who LiveKit says is in a room: their identities, or null when the room does not exist (nobody there).
 * Throws when LiveKit cannot be asked; reconciling then leaves that space as it is.
 */
export type ListRoomIdentities = (space: string) => Promise<string[] | null>;

/**
 * Server-side presence, kept from LiveKit webhooks in the database so every app process answers the same.
 * Clients do not need it (they see the room's participants); it serves queries and logs. Webhooks can be
 * lost (LiveKit restarted, the app was down), so `reconcile` compares the rows with the rooms themselves.
 */
export function createPresence(options: { db: SyncDatabase; logger: Logger }) {
  const log = options.logger.child({ component: 'sync-presence' });

  async function handle(event: WebhookEvent): Promise<void> {
    const space = event.room?.name;
    const participant = event.participant;
    switch (event.event) {
      case 'participant_joined': {
        if (!space || !participant) return;
        // A connection without a being is a signed-out visitor: hidden, so not "in" the space.
        const beingId = participant.attributes[BEING_ATTRIBUTE];
        if (!beingId) return;
        await options.db
          .insert(syncPresence)
          .values({ spaceId: space, identity: participant.identity, beingId, joinedAt: new Date() })
          .onConflictDoNothing();
        log.debug({ space, identity: participant.identity, beingId }, 'participant joined space');
        return;
      }
      case 'participant_left':
      case 'participant_connection_aborted': {
        if (!space || !participant) return;
        await options.db
          .delete(syncPresence)
          .where(and(eq(syncPresence.spaceId, space), eq(syncPresence.identity, participant.identity)));
        log.debug({ space, identity: participant.identity, event: event.event }, 'participant left space');
        return;
      }
      case 'room_finished': {
        if (!space) return;
        await options.db.delete(syncPresence).where(eq(syncPresence.spaceId, space));
        log.debug({ space }, 'space room finished');
        return;
      }
      default:
        log.debug({ event: event.event, space }, 'webhook ignored');
    }
  }

  /** Beings connected to a space, one entry per being however many tabs it has open. */
  async function list(space: string): Promise<RecordedPresence[]> {
    const rows = await options.db.select().from(syncPresence).where(eq(syncPresence.spaceId, space));
    const byBeing = new Map<string, RecordedPresence>();
    for (const row of rows) {
      const entry = byBeing.get(row.beingId);
      if (entry) {
        entry.connections++;
        if (row.joinedAt < entry.since) entry.since = row.joinedAt;
      } else byBeing.set(row.beingId, { beingId: row.beingId, connections: 1, since: row.joinedAt });
    }
    return [...byBeing.values()].sort((a, b) => a.beingId.localeCompare(b.beingId));
  }

  /**
   * Drops rows of connections LiveKit no longer has. Rows written after the room was listed are kept, so a
   * join racing the check is never lost. Returns how many rows went.
   */
  async function reconcile(listIdentities: ListRoomIdentities): Promise<number> {
    const spaces = await options.db.selectDistinct({ spaceId: syncPresence.spaceId }).from(syncPresence);
    let removed = 0;
    for (const { spaceId } of spaces) {
      const listedAt = new Date();
      let identities: string[] | null;
      try {
        identities = await listIdentities(spaceId);
      } catch (error) {
        log.warn({ err: error, space: spaceId }, 'could not list the room to reconcile presence; will retry');
        continue;
      }
      const gone = await options.db
        .delete(syncPresence)
        .where(
          and(
            eq(syncPresence.spaceId, spaceId),
            lt(syncPresence.joinedAt, listedAt),
            identities && identities.length > 0 ? notInArray(syncPresence.identity, identities) : undefined,
          ),
        )
        .returning({ identity: syncPresence.identity });
      if (gone.length > 0) {
        removed += gone.length;
        log.info({ space: spaceId, identities: gone.map((row) => row.identity) }, 'dropped stale presence');
      }
    }
    return removed;
  }

  return { handle, list, reconcile };
}
export type Presence = ReturnType<typeof createPresence>;
