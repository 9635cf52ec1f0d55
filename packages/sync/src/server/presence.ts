import { and, eq } from 'drizzle-orm';
import type { WebhookEvent } from 'livekit-server-sdk';
import type { Logger } from 'pino';
import type { SyncDatabase } from './database.ts';
import { BEING_ATTRIBUTE } from './join-token.ts';
import { syncPresence } from './schema.ts';

export interface PresenceEntry {
  beingId: string;
  connections: number;
  since: Date;
}

/**
 * Server-side presence, kept from LiveKit webhooks in the database so every app process answers the same.
 * Clients do not need it (they see the room's participants); it serves queries and logs.
 */
export function createPresence(options: { db: SyncDatabase; logger: Logger }) {
  const log = options.logger.child({ component: 'sync-presence' });

  async function handle(event: WebhookEvent): Promise<void> {
    const space = event.room?.name;
    const participant = event.participant;
    switch (event.event) {
      case 'participant_joined': {
        if (!space || !participant) return;
        const beingId = participant.attributes[BEING_ATTRIBUTE] ?? participant.identity.split('#')[0] ?? '';
        await options.db
          .insert(syncPresence)
          .values({ spaceId: space, identity: participant.identity, beingId, joinedAt: new Date() })
          .onConflictDoNothing();
        log.info({ space, identity: participant.identity, beingId }, 'participant joined space');
        return;
      }
      case 'participant_left':
      case 'participant_connection_aborted': {
        if (!space || !participant) return;
        await options.db
          .delete(syncPresence)
          .where(and(eq(syncPresence.spaceId, space), eq(syncPresence.identity, participant.identity)));
        log.info({ space, identity: participant.identity, event: event.event }, 'participant left space');
        return;
      }
      case 'room_finished': {
        if (!space) return;
        await options.db.delete(syncPresence).where(eq(syncPresence.spaceId, space));
        log.info({ space }, 'space room finished');
        return;
      }
      default:
        log.debug({ event: event.event, space }, 'webhook ignored');
    }
  }

  /** Beings connected to a space, one entry per being however many tabs it has open. */
  async function list(space: string): Promise<PresenceEntry[]> {
    const rows = await options.db.select().from(syncPresence).where(eq(syncPresence.spaceId, space));
    const byBeing = new Map<string, PresenceEntry>();
    for (const row of rows) {
      const entry = byBeing.get(row.beingId);
      if (entry) {
        entry.connections++;
        if (row.joinedAt < entry.since) entry.since = row.joinedAt;
      } else byBeing.set(row.beingId, { beingId: row.beingId, connections: 1, since: row.joinedAt });
    }
    return [...byBeing.values()].sort((a, b) => a.beingId.localeCompare(b.beingId));
  }

  return { handle, list };
}
export type Presence = ReturnType<typeof createPresence>;
