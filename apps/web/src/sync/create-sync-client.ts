import { SyncClient } from '@rhizom/sync/client';
import { type TRPCClient, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '../server/routers/index';
import { browserSyncLogger, quietLiveKitInProduction } from './browser-logging';
import { takeEarlySnapshot } from './sync-client';

/** A SyncClient (one LiveKit room per space) bound to the tRPC client that talks to our server. */
export function createSyncClient(trpc: TRPCClient<AppRouter>): SyncClient {
  quietLiveKitInProduction();
  return new SyncClient({
    logger: browserSyncLogger,
    api: {
      snapshot: (spaceId) => takeEarlySnapshot(trpc, spaceId) ?? trpc.sync.snapshot.query({ spaceId }),
      since: ({ space, ...position }) => trpc.sync.since.query({ spaceId: space, ...position }),
      keys: (spaceId) => trpc.sync.keys.query({ spaceId }),
      joinToken: (spaceId) => trpc.livekit.getJoinToken.mutate({ spaceId }),
      // The server hides a space from whoever may not see it (NOT_FOUND); no retry changes that.
      isDenied: (error) =>
        error instanceof TRPCClientError && ['NOT_FOUND', 'FORBIDDEN'].includes(error.data?.code),
    },
  });
}
