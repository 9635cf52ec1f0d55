import {
  CreateRoomRequest,
  DeleteRoomRequest,
  DeleteRoomResponse,
  ListParticipantsRequest,
  ListParticipantsResponse,
  ListRoomsRequest,
  ListRoomsResponse,
  MuteRoomTrackRequest,
  RemoveParticipantResponse,
  RoomParticipantIdentity,
  SendDataRequest,
  SendDataResponse,
  UpdateParticipantRequest,
  UpdateRoomMetadataRequest,
  UpdateSubscriptionsRequest,
  UpdateSubscriptionsResponse,
} from '@livekit/protocol';
import type { RoomServiceBackend } from '../ports.ts';
import type { RequestType, ResponseMessage } from './codec.ts';
import type { RequiredGrant } from './grants.ts';
import { checkAttributes, checkMetadata, checkName } from './limits.ts';
import { packetFromSendData } from './send-data.ts';
import { TwirpError } from './twirp-error.ts';

/** One RoomService method: how to decode its request, which grant it needs and what it does. */
export interface RoomServiceMethod<Req = unknown> {
  request: RequestType<Req>;
  grant: RequiredGrant;
  /** The room the grant is checked against (roomAdmin must name it). */
  room(request: Req): string;
  run(backend: RoomServiceBackend, request: Req): ResponseMessage;
}

function method<Req>(spec: RoomServiceMethod<Req>): RoomServiceMethod {
  return spec as unknown as RoomServiceMethod;
}

const roomMissing = () => new TwirpError('not_found', 'requested room does not exist');

/** The 404 for a missing participant, telling "no such room" from "no such participant". */
function participantNotFound(backend: RoomServiceBackend, room: string): TwirpError {
  return backend.listParticipants(room) === undefined
    ? roomMissing()
    : new TwirpError('not_found', 'participant does not exist');
}

function requireParticipant(backend: RoomServiceBackend, room: string, identity: string): void {
  if (backend.getParticipant(room, identity) === undefined) throw participantNotFound(backend, room);
}

/** The implemented `livekit.RoomService` methods, keyed by Twirp method name. */
export const ROOM_SERVICE_METHODS: ReadonlyMap<string, RoomServiceMethod> = new Map([
  [
    'CreateRoom',
    method({
      request: CreateRoomRequest,
      grant: 'roomCreate',
      room: (r) => r.name,
      run(backend, r) {
        if (r.name === '') throw new TwirpError('invalid_argument', 'room name is required');
        checkName('room name', r.name, backend.limits);
        checkMetadata(r.metadata, backend.limits);
        return backend.createRoom(r);
      },
    }),
  ],
  [
    'ListRooms',
    method({
      request: ListRoomsRequest,
      grant: 'roomList',
      room: () => '',
      run: (backend, r) => new ListRoomsResponse({ rooms: backend.listRooms(r.names) }),
    }),
  ],
  [
    'DeleteRoom',
    method({
      request: DeleteRoomRequest,
      grant: 'roomCreate',
      room: (r) => r.room,
      run(backend, r) {
        if (!backend.deleteRoom(r.room)) throw roomMissing();
        return new DeleteRoomResponse();
      },
    }),
  ],
  [
    'ListParticipants',
    method({
      request: ListParticipantsRequest,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        const participants = backend.listParticipants(r.room);
        if (participants === undefined) throw roomMissing();
        return new ListParticipantsResponse({ participants });
      },
    }),
  ],
  [
    'GetParticipant',
    method({
      request: RoomParticipantIdentity,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        const participant = backend.getParticipant(r.room, r.identity);
        if (participant === undefined) throw participantNotFound(backend, r.room);
        return participant;
      },
    }),
  ],
  [
    'RemoveParticipant',
    method({
      request: RoomParticipantIdentity,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        if (!backend.removeParticipant(r.room, r.identity)) throw participantNotFound(backend, r.room);
        return new RemoveParticipantResponse();
      },
    }),
  ],
  [
    'UpdateParticipant',
    method({
      request: UpdateParticipantRequest,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        checkName('participant name', r.name, backend.limits);
        checkMetadata(r.metadata, backend.limits);
        checkAttributes(r.attributes, backend.limits);
        const updated = backend.updateParticipant(r.room, r.identity, {
          metadata: r.metadata,
          name: r.name,
          attributes: r.attributes,
          permission: r.permission,
        });
        if (updated === undefined) throw participantNotFound(backend, r.room);
        return updated;
      },
    }),
  ],
  [
    'UpdateRoomMetadata',
    method({
      request: UpdateRoomMetadataRequest,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        checkMetadata(r.metadata, backend.limits);
        const room = backend.updateRoomMetadata(r.room, r.metadata);
        if (room === undefined) throw roomMissing();
        return room;
      },
    }),
  ],
  [
    'SendData',
    method({
      request: SendDataRequest,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        if (!backend.sendData(r.room, packetFromSendData(r, backend.limits.dataPacketBytes)))
          throw roomMissing();
        return new SendDataResponse();
      },
    }),
  ],
  [
    'MutePublishedTrack',
    method({
      request: MuteRoomTrackRequest,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        requireParticipant(backend, r.room, r.identity);
        // Data-only rooms carry no tracks, so every track SID is unknown.
        throw new TwirpError('not_found', `track is not found: ${r.trackSid}`);
      },
    }),
  ],
  [
    'UpdateSubscriptions',
    method({
      request: UpdateSubscriptionsRequest,
      grant: 'roomAdmin',
      room: (r) => r.room,
      run(backend, r) {
        // No media tracks to subscribe to; data reaches every participant regardless.
        requireParticipant(backend, r.room, r.identity);
        return new UpdateSubscriptionsResponse();
      },
    }),
  ],
]);

/** RoomService methods that exist in LiveKit but that this server does not offer. */
export const UNIMPLEMENTED_METHODS: ReadonlySet<string> = new Set([
  'ForwardParticipant',
  'MoveParticipant',
  'PerformRpc',
]);
