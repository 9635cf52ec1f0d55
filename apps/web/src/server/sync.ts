import { INLINE_CONTENT_MAX_BYTES } from '@rhizom/sync';
import { DEFAULT_ANSWER_MAX_BYTES, type SyncServer, startSyncServer } from '@rhizom/sync/server';
import { and, desc, eq, getTableColumns, ne, or, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Database, Transaction } from '../db/database.ts';
import { beings, intentions } from '../db/schema/index.ts';
import { beingView, intentionView } from '../domain/projections.ts';
import { SNAPSHOT_INTENTIONS } from '../sync/limits.ts';
import { positiveInt } from './env-number.ts';

/** Beings located in one space that a snapshot carries. */
const SNAPSHOT_BEINGS = 500;

export type Sync = SyncServer;

/**
 * LiveKit settings from the environment (the same names as every LiveKit tool). `npm start` sets them
 * for the embedded SFU; unset means live broadcasting is off (catch-up still works).
 * `LIVEKIT_PUBLIC_URL` is what browsers connect to when it differs from the server-side `LIVEKIT_URL`.
 */
export function liveKitFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const url = env.LIVEKIT_URL;
  const apiKey = env.LIVEKIT_API_KEY;
  const apiSecret = env.LIVEKIT_API_SECRET;
  if (!url) return undefined;
  if (!apiKey || !apiSecret) {
    throw new Error('LIVEKIT_URL is set, so LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set too');
  }
  const ttl = env.LIVEKIT_TOKEN_TTL_SECONDS ? Number(env.LIVEKIT_TOKEN_TTL_SECONDS) : undefined;
  return { url, publicUrl: env.LIVEKIT_PUBLIC_URL || undefined, apiKey, apiSecret, tokenTtlSeconds: ttl };
}

/** Retention of sync events for catch-up: `SYNC_RETENTION_MS` (default 120000), `SYNC_RETENTION_EVENTS` (300). */
function retentionFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const number = (value: string | undefined) => (value ? Number(value) : undefined);
  return { retentionMs: number(env.SYNC_RETENTION_MS), retentionEvents: number(env.SYNC_RETENTION_EVENTS) };
}

/** Bytes one `sync.snapshot` or `sync.since` answer may carry: `SYNC_ANSWER_MAX_BYTES` (default 1 MB). */
export function answerMaxBytesFromEnv(env: Record<string, string | undefined> = process.env): number {
  return positiveInt(env, 'SYNC_ANSWER_MAX_BYTES', DEFAULT_ANSWER_MAX_BYTES);
}

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
  livekit?: ReturnType<typeof liveKitFromEnv>;
  /** Whether a being (null: a signed-out visitor) may see a space now: who may stay in its room. */
  mayView: (beingId: string | null, space: string) => Promise<boolean>;
}): Sync {
  return startSyncServer({
    db: options.db,
    logger: options.logger,
    livekit: options.livekit === undefined ? liveKitFromEnv() : options.livekit,
    retention: retentionFromEnv(),
    maxAnswerBytes: answerMaxBytesFromEnv(),
    admit: (space, { beingId }) => options.mayView(beingId, space),
    async loadSpace(syncTx, space) {
      const tx = syncTx as unknown as Transaction;
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
        .limit(SNAPSHOT_INTENTIONS);
      return { beings: beingRows.map(snapshotBeing), intentions: intentionRows.reverse().map(intentionView) };
    },
  });
}
