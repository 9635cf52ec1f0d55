import {
  type AddTrackRequest,
  DisconnectReason,
  LeaveRequest_Action,
  ParticipantInfo_State,
  Pong,
  ReconnectResponse,
  RequestResponse,
  RequestResponse_Reason,
  ServerInfo,
  ServerInfo_Edition,
  SessionDescription,
  type SignalRequest,
  SignalResponse,
  SignalTarget,
  type SimulateScenario,
  TrickleRequest,
  type UpdateParticipantMetadata,
} from '@livekit/protocol';
import type { DataChannel, RTCPeerConnectionState } from 'node-datachannel';
import type { WebSocket } from 'ws';
import { attributesSize } from '../limits.ts';
import type { ChannelKind } from '../rtc/downstream.ts';
import { nativeCallback } from '../rtc/native-callback.ts';
import { PeerTransport } from '../rtc/peer-transport.ts';
import type { ConnectRequest } from '../signal/connect-request.ts';
import { SignalConnection } from '../signal/signal-connection.ts';
import { mergeAttributes } from './attributes.ts';
import type { Participant } from './participant.ts';
import { SERVER_VERSION, type SfuRoom } from './room.ts';
import type { RoomContext } from './room-context.ts';

type Role = 'publisher' | 'subscriber';

const CHANNEL_KINDS: Readonly<Record<string, ChannelKind>> = { _reliable: 'reliable', _lossy: 'lossy' };

/**
 * Starts a new session on an upgraded socket: JoinResponse first, then the peer connection side
 * (v1 answers the offer carried in the join request; v0 offers the subscriber connection).
 */
export function openSession(
  room: SfuRoom,
  participant: Participant,
  ws: WebSocket,
  connect: ConnectRequest,
  context: RoomContext,
): void {
  attachSignal(room, participant, ws, context);
  room.admit(participant);
  if (connect.version === 1) {
    participant.publisher = createTransport(room, participant, 'publisher', context);
    if (connect.publisherOffer !== undefined) answerOffer(participant, connect.publisherOffer);
    return;
  }
  if (participant.subscriberPrimary) offerSubscriber(room, participant, context);
}

/**
 * Resumes a session whose signal socket dropped: same participant and peer connections, a
 * ReconnectResponse as the first message, then the room state again.
 */
export function resumeSession(
  room: SfuRoom,
  participant: Participant,
  ws: WebSocket,
  context: RoomContext,
): void {
  // Detach the old socket first so its close is not taken for a new signal loss.
  const previous = participant.signal;
  participant.signal = undefined;
  previous?.close(1000, 'replaced by a resumed connection');
  clearTimeout(participant.resumeTimer);
  participant.resumeTimer = undefined;
  attachSignal(room, participant, ws, context);
  participant.send(
    new SignalResponse({
      message: {
        case: 'reconnect',
        value: new ReconnectResponse({
          serverInfo: new ServerInfo({ edition: ServerInfo_Edition.Standard, version: SERVER_VERSION }),
          lastMessageSeq: participant.lastReliableSeq,
        }),
      },
    }),
  );
  room.sendState(participant);
  room.refreshToken(participant);
  participant.logger.debug('participant resumed');
}

function attachSignal(room: SfuRoom, participant: Participant, ws: WebSocket, context: RoomContext): void {
  const signal: SignalConnection = new SignalConnection(ws, {
    pingTimeoutMs: context.pingTimeoutSeconds * 1000,
    logger: participant.logger,
    onRequest: (request) => handleRequest(room, participant, request, context),
    onClose: () => signalClosed(room, participant, signal, context),
  });
  participant.signal = signal;
}

/**
 * A socket closed without leave: keep a connected participant for a while so the client can
 * resume; end one whose connection never came up.
 */
function signalClosed(
  room: SfuRoom,
  participant: Participant,
  signal: SignalConnection,
  context: RoomContext,
): void {
  if (participant.signal !== signal || participant.disconnected) return;
  participant.signal = undefined;
  if (participant.state !== ParticipantInfo_State.ACTIVE || participant.primary?.state !== 'connected') {
    room.remove(participant, DisconnectReason.SIGNAL_CLOSE);
    return;
  }
  // A closed tab often ends this way: routine, so debug.
  participant.logger.debug({ resumeWindowMs: context.resumeWindowMs }, 'signal lost: waiting for a resume');
  participant.resumeTimer = setTimeout(() => {
    room.remove(participant, DisconnectReason.CONNECTION_TIMEOUT);
  }, context.resumeWindowMs);
}

function handleRequest(
  room: SfuRoom,
  participant: Participant,
  request: SignalRequest,
  context: RoomContext,
): void {
  if (participant.disconnected) return;
  const message = request.message;
  switch (message.case) {
    case 'offer': {
      participant.publisher ??= createTransport(room, participant, 'publisher', context);
      answerOffer(participant, message.value);
      return;
    }
    case 'answer': {
      try {
        participant.subscriber?.applyAnswer(message.value.sdp);
      } catch (error) {
        participant.logger.error({ err: error }, 'subscriber answer rejected');
      }
      return;
    }
    case 'trickle': {
      const transport =
        message.value.target === SignalTarget.SUBSCRIBER ? participant.subscriber : participant.publisher;
      transport?.addRemoteCandidate(message.value.candidateInit);
      return;
    }
    case 'leave':
      room.remove(participant, message.value.reason || DisconnectReason.CLIENT_INITIATED);
      return;
    case 'ping':
      participant.send(new SignalResponse({ message: { case: 'pong', value: BigInt(Date.now()) } }));
      return;
    case 'pingReq':
      participant.send(
        new SignalResponse({
          message: {
            case: 'pongResp',
            value: new Pong({ lastPingTimestamp: message.value.timestamp, timestamp: BigInt(Date.now()) }),
          },
        }),
      );
      return;
    case 'updateMetadata':
      updateOwnMetadata(room, participant, message.value, context);
      return;
    case 'addTrack':
      refuseTrack(participant, message.value);
      return;
    case 'simulate':
      simulate(room, participant, message.value);
      return;
    default:
      participant.logger.debug({ request: message.case }, 'signal request ignored: not used for data rooms');
  }
}

function answerOffer(participant: Participant, offer: SessionDescription): void {
  const transport = participant.publisher;
  if (transport === undefined) return;
  try {
    const sdp = transport.answer(offer.sdp);
    participant.send(
      new SignalResponse({
        message: { case: 'answer', value: new SessionDescription({ type: 'answer', sdp, id: offer.id }) },
      }),
    );
  } catch (error) {
    participant.logger.error({ err: error, offerId: offer.id }, 'publisher offer rejected');
  }
}

function offerSubscriber(room: SfuRoom, participant: Participant, context: RoomContext): void {
  const transport = createTransport(room, participant, 'subscriber', context);
  participant.subscriber = transport;
  participant.downstream.attach('reliable', transport.createDataChannel('_reliable', true));
  participant.downstream.attach('lossy', transport.createDataChannel('_lossy', false));
  const sdp = transport.offer();
  participant.send(
    new SignalResponse({
      message: {
        case: 'offer',
        value: new SessionDescription({ type: 'offer', sdp, id: participant.takeOfferId() }),
      },
    }),
  );
}

function createTransport(
  room: SfuRoom,
  participant: Participant,
  role: Role,
  context: RoomContext,
): PeerTransport {
  const target = role === 'publisher' ? SignalTarget.PUBLISHER : SignalTarget.SUBSCRIBER;
  return new PeerTransport(`${participant.sid}-${role}`, context.rtc, participant.logger, {
    candidate: (candidateInit) =>
      participant.send(
        new SignalResponse({
          message: { case: 'trickle', value: new TrickleRequest({ candidateInit, target }) },
        }),
      ),
    state: (state) => transportState(room, participant, role, state),
    dataChannel: (channel) => acceptChannel(room, participant, role, channel),
  });
}

function transportState(
  room: SfuRoom,
  participant: Participant,
  role: Role,
  state: RTCPeerConnectionState,
): void {
  participant.logger.debug({ role, state }, 'peer connection state');
  const transport = role === 'publisher' ? participant.publisher : participant.subscriber;
  if (state === 'connected' && transport === participant.primary) {
    room.activate(participant);
    return;
  }
  if (state === 'failed' || state === 'closed') {
    // libdatachannel cannot restart a failed connection: ask the client for a fresh session.
    room.remove(participant, DisconnectReason.CONNECTION_TIMEOUT, LeaveRequest_Action.RECONNECT);
  }
}

/** Channels the client opened: upstream always; downstream too unless a subscriber connection carries it. */
function acceptChannel(room: SfuRoom, participant: Participant, role: Role, channel: DataChannel): void {
  const kind = CHANNEL_KINDS[channel.getLabel()];
  if (kind === undefined) {
    participant.logger.debug({ label: channel.getLabel() }, 'data channel ignored: not a LiveKit data lane');
    return;
  }
  channel.onMessage(
    nativeCallback(participant.logger, 'data message', (message: string | Buffer | ArrayBuffer) => {
      if (typeof message === 'string') {
        participant.logger.warn(
          { label: channel.getLabel() },
          'text data message dropped: send binary DataPackets',
        );
        return;
      }
      room.receiveData(participant, kind, message instanceof ArrayBuffer ? new Uint8Array(message) : message);
    }),
  );
  if (role === 'publisher' && !participant.subscriberPrimary) participant.downstream.attach(kind, channel);
}

function updateOwnMetadata(
  room: SfuRoom,
  participant: Participant,
  update: UpdateParticipantMetadata,
  { limits }: RoomContext,
): void {
  const respond = (reason: RequestResponse_Reason, message: string) =>
    participant.send(
      new SignalResponse({
        message: {
          case: 'requestResponse',
          value: new RequestResponse({
            requestId: update.requestId,
            reason,
            message,
            request: { case: 'updateMetadata', value: update },
          }),
        },
      }),
    );
  if (!participant.permission.canUpdateMetadata) {
    respond(RequestResponse_Reason.NOT_ALLOWED, 'updating own metadata needs the canUpdateOwnMetadata grant');
    return;
  }
  if (Buffer.byteLength(update.metadata) > limits.metadataBytes) {
    respond(RequestResponse_Reason.LIMIT_EXCEEDED, `metadata is over ${limits.metadataBytes} bytes`);
    return;
  }
  if (Buffer.byteLength(update.name) > limits.nameBytes) {
    respond(RequestResponse_Reason.LIMIT_EXCEEDED, `name is over ${limits.nameBytes} bytes`);
    return;
  }
  if (attributesSize(mergeAttributes(participant.attributes, update.attributes)) > limits.attributesBytes) {
    respond(
      RequestResponse_Reason.LIMIT_EXCEEDED,
      `attributes are over ${limits.attributesBytes} bytes in total`,
    );
    return;
  }
  room.updateParticipant(participant, {
    metadata: update.metadata,
    name: update.name,
    attributes: update.attributes,
  });
  respond(RequestResponse_Reason.OK, '');
}

/**
 * The failures a client may ask the server to act out (livekit-client's simulateScenario), as
 * livekit-server plays them: a node failure or migration drops the session without a leave (the
 * client's resume is then refused and it reconnects in full); a server leave disconnects it.
 * livekit-server ignores leave_request_full_reconnect; here it is the leave its name asks for. The
 * media scenarios (speaker, bandwidth, candidate protocol) have nothing to act on in a data room.
 */
function simulate(room: SfuRoom, participant: Participant, request: SimulateScenario): void {
  const scenario = request.scenario;
  participant.logger.info({ scenario: scenario.case }, 'simulating scenario');
  switch (scenario.case) {
    case 'nodeFailure':
      room.remove(participant, DisconnectReason.SERVER_SHUTDOWN, LeaveRequest_Action.DISCONNECT, false);
      return;
    case 'migration':
      room.remove(participant, DisconnectReason.MIGRATION, LeaveRequest_Action.DISCONNECT, false);
      return;
    case 'serverLeave':
      room.remove(participant, DisconnectReason.SERVER_SHUTDOWN);
      return;
    case 'leaveRequestFullReconnect':
      room.remove(participant, DisconnectReason.CLIENT_INITIATED, LeaveRequest_Action.RECONNECT);
      return;
    default:
      participant.logger.debug({ scenario: scenario.case }, 'simulated scenario ignored: media only');
  }
}

function refuseTrack(participant: Participant, request: AddTrackRequest): void {
  participant.logger.warn({ cid: request.cid }, 'track publish refused: this server carries data only');
  participant.send(
    new SignalResponse({
      message: {
        case: 'requestResponse',
        value: new RequestResponse({
          reason: RequestResponse_Reason.NOT_ALLOWED,
          message: 'this server carries data only: publishing audio or video tracks is not supported',
          request: { case: 'addTrack', value: request },
        }),
      },
    }),
  );
}
