import type { ReconnectPolicy } from 'livekit-client';

/**
 * livekit-client's own reconnects, turned off: when a room loses its server it ends at once, and the
 * space connection joins afresh on its own schedule, which is faster for a receive-only room. Both of
 * the SDK's paths wait a fixed 2 s before they even look at the peer connection (`minReconnectWait`,
 * livekit-client 2.23), and after a server restart its first path, a resume, is refused (the server
 * no longer knows the session: it answers with a leave) and the full reconnect that follows waits
 * another step of backoff first. What a resume would keep (the session, data sent during a blip) the
 * catch-up after every join brings back anyway.
 */
export const noSdkReconnects: ReconnectPolicy = { nextRetryDelayInMs: () => null };
