import pino from 'pino';
import type { IntentionView } from '../../src/entities.ts';
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
