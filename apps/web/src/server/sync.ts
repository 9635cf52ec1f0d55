import { INLINE_CONTENT_MAX_BYTES } from '@rhizom/sync';
import { type SyncServer, type SyncServerOptions, startSyncServer } from '@rhizom/sync/server';
import { and, asc, desc, eq, getTableColumns, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Logger } from 'pino';
import type { Database, Transaction } from '../db/database.ts';
import { beings, intentions, spaceMembers } from '../db/schema/index.ts';
import { viewableSpaceSql } from '../domain/access.ts';
import { activityOf } from '../domain/activity.ts';
import { beingView, intentionView } from '../domain/projections.ts';
import { streamKind } from '../domain/streams.ts';
import { LISTED_MEMBERS, SNAPSHOT_INTENTIONS } from '../sync/limits.ts';
import type { LiveKitConfig, RuntimeConfig } from './config.ts';

/** Beings located in one space that a snapshot carries. */
const SNAPSHOT_BEINGS = 500;
/** Spaces a sidebar stream's snapshot carries (the directory's, a personal one's). */
const SNAPSHOT_SPACES = 200;

export type Sync = SyncServer;

/**
 * A being's columns for a snapshot: a content over the inline limit is not even read (a space of a
 * hundred 100 KB documents costs the database kilobytes per page load, not megabytes); its size is.
 */
const snapshotBeingColumns = {
  ...getTableColumns(beings),
  content: sql<string>`case when octet_length(${beings.content}) > ${INLINE_CONTENT_MAX_BYTES} then '' else ${beings.content} end`,
  contentBytes: sql<number>`octet_length(${beings.content})::int`,
};

function snapshotBeing({ contentBytes, ...row }: typeof beings.$inferSelect & { contentBytes: number }) {
  const view = beingView(row);
  return contentBytes > INLINE_CONTENT_MAX_BYTES ? { ...view, contentRef: { bytes: contentBytes } } : view;
}

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
  /** Bytes one snapshot or catch-up answer may carry; unset → the sync package's 1 MB. */
  answerMaxBytes?: number;
  /** Whether a being (null: a signed-out visitor) may see a space now: who may stay in its room. */
  mayView: (beingId: string | null, space: string) => Promise<boolean>;
  /** Broadcaster tuning beyond the defaults (benchmarks). */
  broadcast?: SyncServerOptions['broadcast'];
}): Sync {
  return startSyncServer({
    db: options.db,
    logger: options.logger,
    livekit: options.livekit,
    broadcast: options.broadcast,
    retention: options.retention,
    maxAnswerBytes: options.answerMaxBytes,
    admit: (space, { beingId }) => options.mayView(beingId, space),
    async loadSpace(syncTx, stream, scope) {
      const tx = syncTx as unknown as Transaction;
      const kind = streamKind(stream);
      if (kind?.kind === 'directory') return { beings: await publicSpaces(tx), intentions: [] };
      if (kind?.kind === 'personal') {
        const spaces = await spacesFollowedBy(tx, kind.beingId);
        const activity = await activityOf(
          tx,
          kind.beingId,
          spaces.map((space) => space.id),
        );
        return { beings: spaces, intentions: [], activity };
      }
      return loadSpace(tx, stream, scope.intentions ?? SNAPSHOT_INTENTIONS);
    },
  });
}

/**
 * A space's stream: the space, the beings in it its viewers may see, its members, its newest `intentions`
 * and their authors.
 */
async function loadSpace(tx: Transaction, space: string, newest: number) {
  const beingRows = await tx
    .select(snapshotBeingColumns)
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
    .limit(newest);
  // Authors located elsewhere, when anyone may see where they are (the rule their renames follow to the
  // spaces they wrote in, domain/appearances.ts): their names come with the stream, and stay live by it.
  const here = new Set(beingRows.map((row) => row.id));
  const elsewhere = [...new Set(intentionRows.map((row) => row.ownerId))].filter((id) => !here.has(id));
  const location = alias(beings, 'location');
  const authorRows = elsewhere.length
    ? await tx
        .select(snapshotBeingColumns)
        .from(beings)
        .leftJoin(location, eq(location.id, beings.locationId))
        .where(
          and(
            inArray(beings.id, elsewhere),
            ne(beings.type, 'space'),
            or(isNull(beings.locationId), viewableSpaceSql(null, location)),
          ),
        )
    : [];
  // Ids only: who the members are is on the page already (the members query); this keeps the count live.
  const memberRows = await tx
    .select({ id: spaceMembers.beingId })
    .from(spaceMembers)
    .where(eq(spaceMembers.spaceId, space))
    .orderBy(asc(spaceMembers.joinedAt), asc(spaceMembers.beingId))
    .limit(LISTED_MEMBERS);
  const [counted] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(spaceMembers)
    .where(eq(spaceMembers.spaceId, space));
  return {
    beings: [...beingRows, ...authorRows].map(snapshotBeing),
    intentions: intentionRows.reverse().map(intentionView),
    members: memberRows.map((row) => row.id),
    memberCount: counted?.count ?? memberRows.length,
  };
}

/** The directory's stream: every space a signed-out visitor may see (public, and inside no private one). */
async function publicSpaces(tx: Transaction) {
  const rows = await tx
    .select(snapshotBeingColumns)
    .from(beings)
    .where(and(eq(beings.type, 'space'), viewableSpaceSql(null, beings)))
    .orderBy(asc(beings.name), asc(beings.id))
    .limit(SNAPSHOT_SPACES);
  return rows.map(snapshotBeing);
}

/** A personal stream's beings: the spaces the being owns or is a member of, and itself. */
async function spacesFollowedBy(tx: Transaction, beingId: string) {
  const rows = await tx
    .select(snapshotBeingColumns)
    .from(beings)
    .where(
      or(
        eq(beings.id, beingId),
        and(
          eq(beings.type, 'space'),
          or(
            eq(beings.ownerId, beingId),
            inArray(
              beings.id,
              tx
                .select({ id: spaceMembers.spaceId })
                .from(spaceMembers)
                .where(eq(spaceMembers.beingId, beingId)),
            ),
          ),
        ),
      ),
    )
    .orderBy(asc(beings.name), asc(beings.id))
    .limit(SNAPSHOT_SPACES);
  return rows.map(snapshotBeing);
}
