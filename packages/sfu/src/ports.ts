import type {
  CreateRoomRequest,
  DataPacket,
  ParticipantInfo,
  ParticipantPermission,
  Room,
} from '@livekit/protocol';
import type { SfuLimits } from './limits.ts';

/**
 * The seams between the SFU's room state (rooms, participants, transports) and the parts that
 * observe or drive it from outside: the Twirp RoomService, webhooks and metrics.
 */

/** What RoomService.UpdateParticipant may change about a participant. */
export interface ParticipantChanges {
  metadata?: string;
  name?: string;
  attributes?: Record<string, string>;
  permission?: ParticipantPermission;
}

/** What the Twirp RoomService needs from the room state. `undefined`/`false` mean "not found". */
export interface RoomServiceBackend {
  /** The sizes requests are checked against before any work is done. */
  readonly limits: SfuLimits;
  /** Idempotent: returns the existing room when the name is taken. */
  createRoom(request: CreateRoomRequest): Room;
  /** Empty `names` lists every room. */
  listRooms(names: readonly string[]): Room[];
  /** Every participant gets leave{ROOM_DELETED}; fires room_finished. */
  deleteRoom(name: string): boolean;
  listParticipants(room: string): ParticipantInfo[] | undefined;
  getParticipant(room: string, identity: string): ParticipantInfo | undefined;
  /** The participant gets leave{PARTICIPANT_REMOVED}. */
  removeParticipant(room: string, identity: string): boolean;
  /** Empty metadata/name mean unchanged; attributes merge (empty value deletes); permission replaces. */
  updateParticipant(room: string, identity: string, update: ParticipantChanges): ParticipantInfo | undefined;
  updateRoomMetadata(room: string, metadata: string): Room | undefined;
  /** Delivers a server-originated packet (no participant identity) as RoomService.SendData does. */
  sendData(room: string, packet: DataPacket): boolean;
}

export type WebhookEventName =
  | 'room_started'
  | 'room_finished'
  | 'participant_joined'
  | 'participant_left'
  | 'participant_connection_aborted';

/** Webhook delivery: `emit` never blocks or throws; `flush` waits for queued deliveries (shutdown). */
export interface WebhookSink {
  emit(event: WebhookEventName, payload: { room: Room; participant?: ParticipantInfo }): void;
  flush(timeoutMs?: number): Promise<void>;
}

export type DropReason =
  | 'no_permission'
  | 'oversize'
  | 'malformed'
  | 'duplicate'
  | 'not_ready'
  | 'backpressure';

/** Counters the room state reports; the metrics module turns them into Prometheus series. */
export interface SfuMetrics {
  roomsOpened(): void;
  roomsClosed(): void;
  participantsJoined(): void;
  participantsLeft(): void;
  packetIn(bytes: number): void;
  packetOut(bytes: number): void;
  packetDropped(reason: DropReason): void;
}
