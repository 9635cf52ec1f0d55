import { generateKeyPairSync, randomBytes } from 'node:crypto';
import pino from 'pino';
import type { IntentionView } from '../../src/entities.ts';
import type { SyncKeys } from '../../src/seal/keys.ts';
import type { PendingSyncEvent } from '../../src/server/outbox.ts';

export const quietLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

export function intention(space: string, id: string, content: string): IntentionView {
  const at = new Date(0).toISOString();
  return {
    id,
    type: 'utterance',
    state: 'complete',
    ownerId: '@ada',
    locationId: space,
    content,
    properties: {},
    createdAt: at,
    modifiedAt: at,
  };
}

export function posted(space: string, id: string, content = `message ${id}`): PendingSyncEvent {
  return { space, type: 'intention.upsert', entity: intention(space, id, content) };
}

/** Well-formed keys for a client that is never sent a packet (their halves are thrown away). */
export function unusedKeys(): SyncKeys {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return {
    signing: [{ id: 'sk_unused', publicKey: Buffer.from(jwk.x ?? '', 'base64url').toString('base64') }],
    space: { id: 'k_unused', secret: randomBytes(32).toString('base64') },
  };
}
