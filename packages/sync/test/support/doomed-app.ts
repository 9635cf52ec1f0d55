/**
 * An app process in a child, for crash tests: a sync server on the shared PostgreSQL that commits
 * `count` events to `space` and notifies its broadcaster, then waits to be killed. Its LiveKit is a
 * socket that never answers, so its broadcaster is caught mid-send, holding the space's lease.
 * Usage: tsx doomed-app.ts <database url> <livekit url> <space> <count>
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { SyncDatabase } from '../../src/server/database.ts';
import { appendSyncEvents } from '../../src/server/outbox.ts';
import { startSyncServer } from '../../src/server/start.ts';
import { outboxProjection } from './database.ts';
import { posted, quietLogger } from './fixtures.ts';
import { API_KEY, API_SECRET } from './harness.ts';

const [databaseUrl, livekitUrl, space, count] = process.argv.slice(2);
if (!databaseUrl || !livekitUrl || !space || !count)
  throw new Error('usage: <database url> <livekit url> <space> <count>');
const db = drizzle({
  client: postgres(databaseUrl, { max: 4, onnotice: () => {} }),
}) as unknown as SyncDatabase;
const sync = startSyncServer({
  db,
  logger: quietLogger,
  livekit: { url: livekitUrl, apiKey: API_KEY, apiSecret: API_SECRET, requestTimeoutSeconds: 600 },
  loadSpace: outboxProjection,
  broadcast: { instanceId: 'doomed' },
});
const events = Array.from({ length: Number(count) }, (_, i) =>
  posted(space, `d${i + 1}`, `pending ${i + 1}`),
);
const committed = await db.transaction((tx) => appendSyncEvents(tx, events));
sync.notify([space], committed);
process.stdout.write('committed\n');
