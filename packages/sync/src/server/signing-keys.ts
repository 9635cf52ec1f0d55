import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { and, desc, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { SigningKey } from '../seal/seal-packet.ts';
import type { SyncDatabase } from './database.ts';
import { syncSigningKeys } from './schema.ts';

export interface PublicSigningKey {
  id: string;
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: string;
}

/** The signing keys as this process uses them: read from the database, cached for `refreshMs`. */
export interface SigningKeys {
  /** The key this process signs with now (the newest not retired; created on first use). */
  current(): Promise<SigningKey>;
  /**
   * Public halves of every key not retired: what clients may verify with. Read afresh on every call (a
   * small indexed read, only for key answers, never per packet): a cached list would hand a key retired
   * at once because it leaked back to clients, which would trust it again.
   */
  published(): Promise<PublicSigningKey[]>;
}

const notRetired = () => or(isNull(syncSigningKeys.retireAt), sql`${syncSigningKeys.retireAt} > now()`);

/**
 * Signing keys shared by every app process through the database. A rotation by one process reaches the
 * others within `refreshMs` (30 s by default); until then they sign with the previous key, which stays
 * published until it is retired, so their packets still verify.
 */
export function createSigningKeys(options: { db: SyncDatabase; refreshMs?: number }): SigningKeys {
  const refreshMs = options.refreshMs ?? 30_000;
  type Loaded = { at: number; current: SigningKey; published: PublicSigningKey[] };
  let cache: Loaded | null = null;
  let loading: Promise<Loaded> | null = null;

  async function read(): Promise<Loaded> {
    let rows = await activeRows(options.db);
    if (rows.length === 0) {
      await insertSigningKey(options.db);
      rows = await activeRows(options.db);
    }
    const [newest] = rows;
    if (!newest) throw new Error('no sync signing key could be created');
    return {
      at: Date.now(),
      current: {
        id: newest.id,
        privateKey: createPrivateKey({
          key: Buffer.from(newest.privateKey, 'base64'),
          format: 'der',
          type: 'pkcs8',
        }),
      },
      published: rows.map((row) => ({ id: row.id, publicKey: row.publicKey })),
    };
  }

  async function fresh(): Promise<Loaded> {
    if (cache && Date.now() - cache.at < refreshMs) return cache;
    loading ??= read().finally(() => {
      loading = null;
    });
    const loaded = await loading;
    cache = loaded;
    return loaded;
  }

  return {
    current: async () => (await fresh()).current,
    published: async () => {
      // The first call creates the deployment's key if there is none.
      if (!cache) return (await fresh()).published;
      return options.db
        .select({ id: syncSigningKeys.id, publicKey: syncSigningKeys.publicKey })
        .from(syncSigningKeys)
        .where(notRetired())
        .orderBy(desc(syncSigningKeys.createdAt), desc(syncSigningKeys.id));
    },
  };
}

function activeRows(db: SyncDatabase) {
  return db
    .select()
    .from(syncSigningKeys)
    .where(notRetired())
    .orderBy(desc(syncSigningKeys.createdAt), desc(syncSigningKeys.id));
}

async function insertSigningKey(db: SyncDatabase): Promise<string> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const id = `sk_${randomBytes(8).toString('hex')}`;
  const jwk = publicKey.export({ format: 'jwk' });
  await db.insert(syncSigningKeys).values({
    id,
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: Buffer.from(jwk.x ?? '', 'base64url').toString('base64'),
  });
  return id;
}

/**
 * Make a new signing key the one every process signs with (within their refresh interval), and retire the
 * others after `retireOthersAfterMs`: long enough for every process to switch (default 10 minutes), or 0 when
 * a key leaked. Clients drop a retired key at their next key fetch or catch-up.
 */
export async function rotateSigningKey(
  db: SyncDatabase,
  options: { retireOthersAfterMs?: number } = {},
): Promise<{ id: string; retiring: string[] }> {
  const after = options.retireOthersAfterMs ?? 10 * 60_000;
  return db.transaction(async (tx) => {
    const id = await insertSigningKey(tx);
    const retiring = await tx
      .update(syncSigningKeys)
      .set({ retireAt: sql`now() + ${after} * interval '1 millisecond'` })
      .where(
        and(
          ne(syncSigningKeys.id, id),
          or(
            isNull(syncSigningKeys.retireAt),
            sql`${syncSigningKeys.retireAt} > now() + ${after} * interval '1 millisecond'`,
          ),
        ),
      )
      .returning({ id: syncSigningKeys.id });
    return { id, retiring: retiring.map((row) => row.id) };
  });
}

/** Delete keys retired more than a day ago (nothing verifies with them any more). */
export async function deleteRetiredSigningKeys(db: SyncDatabase): Promise<number> {
  const rows = await db
    .delete(syncSigningKeys)
    .where(lte(syncSigningKeys.retireAt, sql`now() - interval '1 day'`))
    .returning({ id: syncSigningKeys.id });
  return rows.length;
}
