import type { Keyed, SpaceSnapshot } from '@rhizom/sync';
import type { SnapshotScope } from '@rhizom/sync/server';
import { requireReadableStream } from '../domain/access.ts';
import type { Viewer } from '../domain/actor.ts';
import type { Runtime } from './runtime.ts';

/**
 * A stream's snapshot for whoever may read the stream, else NOT_FOUND: the one rule for `sync.snapshot` and
 * for the messages a space's page is rendered with, so neither path can show what the other would refuse.
 */
export async function readStreamSnapshot(
  runtime: Runtime,
  viewer: Viewer,
  stream: string,
  scope?: SnapshotScope,
): Promise<Keyed<SpaceSnapshot>> {
  await requireReadableStream(runtime.db, viewer, stream);
  return runtime.sync.snapshot(stream, scope);
}
