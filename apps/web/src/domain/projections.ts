import type { BeingView, IntentionView } from '@rhizom/sync';
import type { BeingRow, IntentionRow } from '../db/schema/index.ts';

/** Public projections: what the API and sync events show of a row. Secrets live in other tables. */

export function beingView(row: BeingRow): BeingView {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    ownerId: row.ownerId,
    locationId: row.locationId,
    content: row.content,
    properties: row.properties,
    visibility: row.type === 'space' ? row.visibility : null,
    createdAt: row.createdAt.toISOString(),
    modifiedAt: row.modifiedAt.toISOString(),
  };
}

export function intentionView(row: IntentionRow): IntentionView {
  return {
    id: row.id,
    type: row.type,
    state: row.state,
    ownerId: row.ownerId,
    locationId: row.locationId,
    content: row.content,
    properties: row.properties,
    createdAt: row.createdAt.toISOString(),
    modifiedAt: row.modifiedAt.toISOString(),
  };
}
