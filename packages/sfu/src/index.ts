export { AuthError } from './auth/auth-error.ts';
export type { AccessClaims, VideoClaims } from './auth/claims.ts';
export { type ApiKeys, parseKeys } from './auth/keys.ts';
export { verifyAccessToken } from './auth/verify.ts';
export type { DropReason, RoomServiceBackend, SfuMetrics, WebhookEventName, WebhookSink } from './ports.ts';
export type { RtcOptions } from './rtc/peer-transport.ts';
export { type SfuOptions, type SfuServer, startSfu } from './start.ts';
