import type { Logger } from 'pino';
import type { ApiKeys } from '../auth/keys.ts';
import type { SfuLimits } from '../limits.ts';
import type { SfuMetrics, WebhookSink } from '../ports.ts';
import type { DownstreamLimits } from '../rtc/downstream.ts';
import type { RtcOptions } from '../rtc/peer-transport.ts';

/** Settings and sinks every room and session of one server shares. */
export interface RoomContext {
  logger: Logger;
  /** Refreshed tokens are signed with the key the participant joined with. */
  keys: ApiKeys;
  /** How often a participant gets a fresh token (livekit-server: 5 minutes). */
  tokenRefreshIntervalMs: number;
  webhook: WebhookSink | undefined;
  metrics: SfuMetrics | undefined;
  rtc: RtcOptions;
  limits: SfuLimits;
  downstreamLimits: DownstreamLimits;
  /** Sent in JoinResponse; both must be non-zero (the Rust SDK panics on 0). */
  pingIntervalSeconds: number;
  pingTimeoutSeconds: number;
  /** Participant-count RoomUpdates go out at most once per interval (livekit-server: 5 s). */
  roomUpdateIntervalMs: number;
  /** How long a participant whose signal socket dropped waits for a resume. */
  resumeWindowMs: number;
  /** Room defaults as livekit-server: 300 s before the first join, 20 s after the last leave. */
  emptyTimeoutSeconds: number;
  departureTimeoutSeconds: number;
}
