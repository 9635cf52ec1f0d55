import { eq } from 'drizzle-orm';
import { type DecodeResult, decodePacket } from '../../src/packet.ts';
import { splitFrame } from '../../src/seal/envelope.ts';
import type { SyncKeys } from '../../src/seal/keys.ts';
import { PacketOpener } from '../../src/seal/packet-opener.ts';
import type { SyncDatabase } from '../../src/server/database.ts';
import { spaceStreams } from '../../src/server/schema.ts';
import { createSigningKeys } from '../../src/server/signing-keys.ts';

/** The keys a client of `space` would be handed now, read straight from the database. */
export async function keysNow(db: SyncDatabase, space: string): Promise<SyncKeys> {
  const [stream] = await db.select().from(spaceStreams).where(eq(spaceStreams.spaceId, space));
  if (!stream?.keyId || !stream.key) throw new Error(`no key for ${space}`);
  const signing = await createSigningKeys({ db, refreshMs: 0 }).published();
  return { signing, space: { id: stream.keyId, secret: stream.key } };
}

/** Open a sealed packet as a client holding the current keys would, then decode it. */
export async function openSealed(db: SyncDatabase, payload: Uint8Array): Promise<DecodeResult> {
  const frame = splitFrame(payload);
  if (!frame.ok) return { ok: false, error: frame.error };
  const opener = new PacketOpener(frame.header.space);
  await opener.setKeys(await keysNow(db, frame.header.space));
  const opened = await opener.open(payload);
  return opened.ok ? decodePacket(opened.plaintext) : { ok: false, error: opened.error };
}
