import {
  type CreateRoomRequest,
  type DataPacket,
  DisconnectReason,
  LeaveRequest,
  LeaveRequest_Action,
  type ParticipantInfo,
  type Room,
  RoomConfiguration,
  SignalResponse,
} from '@livekit/protocol';
import type { WebSocket } from 'ws';
import { AuthError } from '../auth/auth-error.ts';
import type { AccessClaims } from '../auth/claims.ts';
import { requireJoinGrant } from '../auth/join-grant.ts';
import { kindFromClaim, permissionFromGrant } from '../auth/permission.ts';
import { HttpError } from '../http/http-error.ts';
import type { SfuLimits } from '../limits.ts';
import type { ParticipantChanges, RoomServiceBackend } from '../ports.ts';
import { Downstream } from '../rtc/downstream.ts';
import type { ConnectRequest } from '../signal/connect-request.ts';
import { newId } from './ids.ts';
import { dataOnlyPermission, Participant } from './participant.ts';
import { type RoomOptions, SfuRoom } from './room.ts';
import type { RoomContext } from './room-context.ts';
import { openSession, resumeSession } from './session.ts';

/** What a signal upgrade will do, decided before the upgrade so refusals are plain HTTP statuses. */
export type PreparedConnection =
  | { mode: 'join'; room: string; identity: string; claims: AccessClaims; connect: ConnectRequest }
  | { mode: 'resume'; room: SfuRoom; participant: Participant }
  | { mode: 'stale-resume'; identity: string };

/** All rooms of one server; the RoomService API works on it. */
export class RoomRegistry implements RoomServiceBackend {
  private readonly rooms = new Map<string, SfuRoom>();
  private readonly context: RoomContext;

  constructor(context: RoomContext) {
    this.context = context;
  }

  get limits(): SfuLimits {
    return this.context.limits;
  }

  /** Checks a verified join before the upgrade. Throws HttpError with the status to answer. */
  prepare(claims: AccessClaims, connect: ConnectRequest): PreparedConnection {
    const { room: roomName, identity } = requireJoinGrant(claims, this.context.limits.nameBytes);
    const wantsMetadata = connect.metadata !== '' || Object.keys(connect.attributes).length > 0;
    if (wantsMetadata && claims.video.canUpdateOwnMetadata !== true) {
      throw new AuthError(401, 'joining with metadata or attributes needs the canUpdateOwnMetadata grant');
    }
    const room = this.rooms.get(roomName);
    if (connect.reconnect) {
      const participant = room?.bySessionId(connect.participantSid);
      if (room !== undefined && participant !== undefined && participant.identity === identity) {
        return { mode: 'resume', room, participant };
      }
      return { mode: 'stale-resume', identity };
    }
    if (room?.isFullFor(identity)) throw new HttpError(403, `room "${roomName}" is full (max_participants)`);
    return { mode: 'join', room: roomName, identity, claims, connect };
  }

  /** Takes over an upgraded socket for a prepared connection. */
  accept(ws: WebSocket, prepared: PreparedConnection): void {
    if (prepared.mode === 'resume' && !prepared.participant.disconnected && !prepared.room.isClosed) {
      resumeSession(prepared.room, prepared.participant, ws, this.context);
      return;
    }
    if (prepared.mode !== 'join') {
      // livekit-server's answer for an unknown session: both SDKs then do a full reconnect.
      const leave = new LeaveRequest({
        reason: DisconnectReason.STATE_MISMATCH,
        action: LeaveRequest_Action.RECONNECT,
        canReconnect: true,
      });
      ws.send(new SignalResponse({ message: { case: 'leave', value: leave } }).toBinary());
      ws.close(1000, 'session not found: reconnect');
      return;
    }
    const { claims, connect } = prepared;
    const room = this.rooms.get(prepared.room) ?? this.openRoom(prepared.room, roomOptionsFromToken(claims));
    const permission = dataOnlyPermission(permissionFromGrant(claims.video));
    const sid = newId('PA_');
    const participant = new Participant({
      sid,
      identity: prepared.identity,
      name: claims.name ?? '',
      metadata: connect.metadata !== '' ? connect.metadata : (claims.metadata ?? ''),
      attributes: { ...claims.attributes, ...nonEmpty(connect.attributes) },
      permission,
      kind: kindFromClaim(claims.kind),
      clientProtocol: connect.clientInfo.clientProtocol,
      capabilities: connect.clientInfo.capabilities,
      grant: {
        apiKey: claims.iss,
        video: { ...claims.video },
        kind: claims.kind,
        roomConfig: claims.roomConfig,
        expiresAt: claims.exp,
      },
      signalVersion: connect.version,
      subscriberPrimary: connect.version === 0 && connect.clientInfo.protocol > 2 && permission.canSubscribe,
      downstream: new Downstream(this.context.downstreamLimits, {
        sent: (bytes) => this.context.metrics?.packetOut(bytes),
        dropped: (reason) => this.context.metrics?.packetDropped(reason),
      }),
      logger: room.logger.child({ participant: prepared.identity, participantSid: sid }),
    });
    openSession(room, participant, ws, connect, this.context);
  }

  /** Test and operations hook: drops a participant's signal socket as a network failure would. */
  dropSignal(identity: string, roomName?: string): boolean {
    for (const room of this.rooms.values()) {
      if (roomName !== undefined && room.name !== roomName) continue;
      const signal = room.participants.get(identity)?.signal;
      if (signal !== undefined) {
        signal.terminate();
        return true;
      }
    }
    return false;
  }

  /** Shutdown: every participant gets leave(SERVER_SHUTDOWN) and every room closes. */
  close(): void {
    for (const room of [...this.rooms.values()]) room.close(DisconnectReason.SERVER_SHUTDOWN);
  }

  createRoom(request: CreateRoomRequest): Room {
    const existing = this.rooms.get(request.name);
    if (existing !== undefined) return existing.toProto();
    return this.openRoom(request.name, {
      emptyTimeout: request.emptyTimeout,
      departureTimeout: request.departureTimeout,
      maxParticipants: request.maxParticipants,
      metadata: request.metadata,
    }).toProto();
  }

  listRooms(names: readonly string[]): Room[] {
    const rooms =
      names.length === 0 ? [...this.rooms.values()] : names.flatMap((name) => this.rooms.get(name) ?? []);
    return rooms.map((room) => room.toProto());
  }

  deleteRoom(name: string): boolean {
    const room = this.rooms.get(name);
    if (room === undefined) return false;
    room.close(DisconnectReason.ROOM_DELETED);
    return true;
  }

  listParticipants(roomName: string): ParticipantInfo[] | undefined {
    const room = this.rooms.get(roomName);
    return room === undefined ? undefined : [...room.participants.values()].map((p) => p.info());
  }

  getParticipant(roomName: string, identity: string): ParticipantInfo | undefined {
    return this.rooms.get(roomName)?.participants.get(identity)?.info();
  }

  removeParticipant(roomName: string, identity: string): boolean {
    const room = this.rooms.get(roomName);
    const participant = room?.participants.get(identity);
    if (room === undefined || participant === undefined) return false;
    room.remove(participant, DisconnectReason.PARTICIPANT_REMOVED);
    return true;
  }

  updateParticipant(
    roomName: string,
    identity: string,
    update: ParticipantChanges,
  ): ParticipantInfo | undefined {
    const room = this.rooms.get(roomName);
    const participant = room?.participants.get(identity);
    if (room === undefined || participant === undefined) return undefined;
    room.updateParticipant(participant, update);
    return participant.info();
  }

  updateRoomMetadata(roomName: string, metadata: string): Room | undefined {
    const room = this.rooms.get(roomName);
    if (room === undefined) return undefined;
    room.updateMetadata(metadata);
    return room.toProto();
  }

  sendData(roomName: string, packet: DataPacket): boolean {
    const room = this.rooms.get(roomName);
    if (room === undefined) return false;
    room.sendServerData(packet);
    return true;
  }

  private openRoom(name: string, options: Partial<RoomOptions>): SfuRoom {
    const room = new SfuRoom(
      name,
      {
        emptyTimeout: options.emptyTimeout || this.context.emptyTimeoutSeconds,
        departureTimeout: options.departureTimeout || this.context.departureTimeoutSeconds,
        maxParticipants: options.maxParticipants ?? 0,
        metadata: options.metadata ?? '',
      },
      this.context,
      (closed) => {
        if (this.rooms.get(closed.name) === closed) this.rooms.delete(closed.name);
      },
    );
    this.rooms.set(name, room);
    return room;
  }
}

/** The token's `roomConfig` applies when this join creates the room, as in livekit-server. */
function roomOptionsFromToken(claims: AccessClaims): Partial<RoomOptions> {
  if (claims.roomConfig === undefined) return {};
  try {
    const config = RoomConfiguration.fromJson(claims.roomConfig as never, { ignoreUnknownFields: true });
    return {
      emptyTimeout: config.emptyTimeout,
      departureTimeout: config.departureTimeout,
      maxParticipants: config.maxParticipants,
      metadata: config.metadata,
    };
  } catch {
    return {};
  }
}

function nonEmpty(attributes: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== ''));
}
