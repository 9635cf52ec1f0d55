import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { SpaceKey } from '../seal/seal-packet.ts';
import type { SyncDatabase } from './database.ts';
import { spaceStreams } from './schema.ts';

/** A fresh space key as stored in `space_streams` (id, base64 secret). */
export function newSpaceKey(): { keyId: string; key: string } {
  return { keyId: `k_${randomBytes(8).toString('hex')}`, key: randomBytes(32).toString('base64') };
}

export function spaceKeyFromRow(row: { keyId: string; key: string }): SpaceKey {
  return { id: row.keyId, secret: Buffer.from(row.key, 'base64') };
}

/**
 * The space's key, giving one to a stream that has none (created before sealing existed). One statement;
 * null when the space has no stream.
 */
export async function ensureSpaceKey(
  db: SyncDatabase,
  space: string,
): Promise<{ keyId: string; key: string } | null> {
  const fresh = newSpaceKey();
  const [row] = await db
    .update(spaceStreams)
    .set({
      keyId: sql`coalesce(${spaceStreams.keyId}, ${fresh.keyId})`,
      key: sql`coalesce(${spaceStreams.key}, ${fresh.key})`,
    })
    .where(eq(spaceStreams.spaceId, space))
    .returning({ keyId: spaceStreams.keyId, key: spaceStreams.key });
  return row?.keyId && row.key ? { keyId: row.keyId, key: row.key } : null;
}
