import { AccessToken, RoomServiceClient, type VideoGrant } from 'livekit-server-sdk';

export const API_KEY = 'testkey';
export const API_SECRET = 'test-secret-that-is-long-enough-for-hs256';
export const KEYS = { [API_KEY]: API_SECRET };

/** A join token as an app server would mint it with livekit-server-sdk (`ttl` in seconds or '10m'). */
export function joinToken(
  room: string,
  identity: string,
  grant: Partial<VideoGrant> = {},
  options: { ttl?: number | string; metadata?: string } = {},
): Promise<string> {
  const token = new AccessToken(API_KEY, API_SECRET, { identity, name: identity, ...options });
  token.addGrant({ roomJoin: true, room, ...grant });
  return token.toJwt();
}

export function roomService(sfuUrl: string): RoomServiceClient {
  return new RoomServiceClient(sfuUrl.replace(/^ws/, 'http'), API_KEY, API_SECRET);
}
