import {
  ClientConfiguration,
  DataPacket,
  DisconnectReason,
  JoinResponse,
  LeaveRequest_Action,
  ParticipantInfo_State,
  ParticipantUpdate,
  Room,
  RoomUpdate,
  ServerInfo,
  ServerInfo_Edition,
  SignalResponse,
} from '@livekit/protocol';
import type { Logger } from 'pino';
import { secretFor } from '../auth/keys.ts';
import { mintRefreshToken } from '../auth/refresh-token.ts';
import type { ParticipantChanges } from '../ports.ts';
import type { ChannelKind } from '../rtc/downstream.ts';
import { channelOf, destinationSids, isForwardable, stampPacket } from './data-routing.ts';
import { newId } from './ids.ts';
import type { Participant } from './participant.ts';
import { RecentNonces } from './recent-nonces.ts';
import type { RoomContext } from './room-context.ts';

/** Semver the SDKs compare against: RPC needs ≥ 1.8.0, the Rust SDK parses it strictly. */
export const SERVER_VERSION = '1.9.0';
const SERVER_PROTOCOL = 16;

export interface RoomOptions {
  emptyTimeout: number;
  departureTimeout: number;
  maxParticipants: number;
  metadata: string;
}

/**
 * One room: its participants, the updates they see about each other, data forwarding between
 * them and the timers that close it when empty.
 */
export class SfuRoom {
  readonly sid = newId('RM_');
  readonly name: string;
  readonly creationTimeMs = Date.now();
  metadata: string;
  readonly emptyTimeout: number;
  readonly departureTimeout: number;
  readonly maxParticipants: number;
  readonly logger: Logger;
  /** By identity; at most one live session per identity. */
  readonly participants = new Map<string, Participant>();
  private readonly bySid = new Map<string, Participant>();
  /** User packets retried with the same nonce, by the server API or a participant, go out once. */
  private readonly nonces = new RecentNonces();
  private readonly context: RoomContext;
  private readonly onClosed: (room: SfuRoom) => void;
  private closeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The last RoomUpdate broadcast, and when: count changes are batched to one per interval. */
  private lastRoomUpdate: Room | undefined;
  private lastRoomUpdateMs = this.creationTimeMs;
  private roomUpdateTimer: NodeJS.Timeout | undefined;

  constructor(name: string, options: RoomOptions, context: RoomContext, onClosed: (room: SfuRoom) => void) {
    this.name = name;
    this.metadata = options.metadata;
    this.emptyTimeout = options.emptyTimeout;
    this.departureTimeout = options.departureTimeout;
    this.maxParticipants = options.maxParticipants;
    this.context = context;
    this.onClosed = onClosed;
    this.logger = context.logger.child({ room: name, roomSid: this.sid });
    this.scheduleClose(this.emptyTimeout);
    context.metrics?.roomsOpened();
    context.webhook?.emit('room_started', { room: this.toProto() });
    this.logger.debug('room started');
  }

  get isClosed(): boolean {
    return this.closed;
  }

  toProto(): Room {
    return new Room({
      sid: this.sid,
      name: this.name,
      emptyTimeout: this.emptyTimeout,
      departureTimeout: this.departureTimeout,
      maxParticipants: this.maxParticipants,
      creationTime: BigInt(Math.floor(this.creationTimeMs / 1000)),
      creationTimeMs: BigInt(this.creationTimeMs),
      metadata: this.metadata,
      numParticipants: this.countParticipants(),
    });
  }

  /**
   * livekit-server's count leaves out agents and recorders (`IsDependent`). num_publishers counts
   * track publishers, so it stays 0 on a data-only server.
   */
  private countParticipants(): number {
    let count = 0;
    for (const participant of this.participants.values()) if (!participant.isDependent) count += 1;
    return count;
  }

  /** Whether a new session for `identity` would exceed max_participants (a same-identity join replaces). */
  isFullFor(identity: string): boolean {
    if (this.maxParticipants <= 0) return false;
    const replacing = this.participants.has(identity) ? 1 : 0;
    return this.participants.size - replacing >= this.maxParticipants;
  }

  bySessionId(sid: string): Participant | undefined {
    return this.bySid.get(sid);
  }

  /**
   * Admits a new session: replaces an older session of the same identity, sends the JoinResponse
   * (the first signal message) and tells the others.
   */
  admit(participant: Participant): void {
    const previous = this.participants.get(participant.identity);
    if (previous !== undefined) {
      this.remove(previous, DisconnectReason.DUPLICATE_IDENTITY, LeaveRequest_Action.DISCONNECT);
    }
    clearTimeout(this.closeTimer);
    this.closeTimer = undefined;
    participant.admitted();
    this.participants.set(participant.identity, participant);
    this.bySid.set(participant.sid, participant);
    this.context.metrics?.participantsJoined();
    participant.send(
      new SignalResponse({ message: { case: 'join', value: this.joinResponse(participant) } }),
    );
    this.broadcastParticipant(participant, false);
    this.roomChanged(false);
    this.refreshToken(participant);
    participant.refreshTokenEvery(this.context.tokenRefreshIntervalMs, () => this.refreshToken(participant));
    participant.logger.debug({ version: participant.signalVersion }, 'participant joined');
  }

  /** The primary connection is up: ACTIVE for everyone, including the participant itself. */
  activate(participant: Participant): void {
    if (!participant.activated()) return;
    this.broadcastParticipant(participant, true);
    this.context.webhook?.emit('participant_joined', {
      room: this.toProto(),
      participant: participant.info(),
    });
    participant.logger.debug('participant active');
  }

  /**
   * Ends a session: the participant gets `leave` (when its socket is up), the others its
   * DISCONNECTED update; its connections close.
   */
  remove(
    participant: Participant,
    reason: DisconnectReason,
    action = LeaveRequest_Action.DISCONNECT,
    sendLeave = true,
  ): void {
    if (participant.disconnected || this.participants.get(participant.identity) !== participant) return;
    const wasActive = participant.state === ParticipantInfo_State.ACTIVE;
    this.participants.delete(participant.identity);
    this.bySid.delete(participant.sid);
    participant.disconnect(reason, sendLeave ? action : undefined);
    this.broadcastParticipant(participant, false);
    this.roomChanged(false);
    this.context.metrics?.participantsLeft();
    this.context.webhook?.emit(wasActive ? 'participant_left' : 'participant_connection_aborted', {
      room: this.toProto(),
      participant: participant.info(),
    });
    participant.logger.debug({ reason: DisconnectReason[reason] }, 'participant left');
    if (this.participants.size === 0 && !this.closed) this.scheduleClose(this.departureTimeout);
  }

  /** Applies metadata/name/attribute/permission changes and tells everyone, the participant included. */
  updateParticipant(participant: Participant, changes: ParticipantChanges): void {
    participant.apply(changes);
    this.broadcastParticipant(participant, true);
    this.refreshToken(participant);
  }

  /**
   * Sends the participant a token minted from its current claims (`refresh_token`), so a reconnect,
   * even after the join token expired, restores what it is now rather than what it joined as.
   */
  refreshToken(participant: Participant): void {
    const secret = secretFor(this.context.keys, participant.grant.apiKey);
    if (secret === undefined) return;
    const claims = participant.claims();
    participant.tokenRefreshes = participant.tokenRefreshes
      .then(() =>
        mintRefreshToken(claims, { apiKey: participant.grant.apiKey, secret }, participant.grant.expiresAt),
      )
      .then((token) => {
        if (!participant.disconnected) {
          participant.send(new SignalResponse({ message: { case: 'refreshToken', value: token } }));
        }
      })
      .catch((error: unknown) => participant.logger.error({ err: error }, 'token refresh failed'));
  }

  updateMetadata(metadata: string): void {
    this.metadata = metadata;
    this.roomChanged(true);
  }

  /**
   * Tells participants about a room change as livekit-server's room proto proxy does: metadata at
   * once; count changes at once after a quiet interval, otherwise batched into one update at its end.
   */
  private roomChanged(immediate: boolean): void {
    if (this.closed) return;
    const waitedMs = Date.now() - this.lastRoomUpdateMs;
    const intervalMs = this.context.roomUpdateIntervalMs;
    if (immediate || waitedMs > intervalMs) {
      this.sendRoomUpdate();
      return;
    }
    this.roomUpdateTimer ??= setTimeout(() => this.sendRoomUpdate(), intervalMs - waitedMs);
  }

  /** Broadcasts the room to every joined participant, unless nothing changed since the last one. */
  private sendRoomUpdate(): void {
    clearTimeout(this.roomUpdateTimer);
    this.roomUpdateTimer = undefined;
    const room = this.toProto();
    if (this.lastRoomUpdate?.equals(room)) return;
    this.lastRoomUpdate = room;
    this.lastRoomUpdateMs = Date.now();
    const bytes = new SignalResponse({
      message: { case: 'roomUpdate', value: new RoomUpdate({ room }) },
    }).toBinary();
    for (const participant of this.participants.values()) participant.signal?.sendBytes(bytes);
  }

  /** Sends the full participant list and the room again, after a resume. */
  sendState(participant: Participant): void {
    participant.send(
      new SignalResponse({
        message: {
          case: 'update',
          value: new ParticipantUpdate({ participants: this.visibleTo(participant).map((p) => p.info()) }),
        },
      }),
    );
    participant.send(
      new SignalResponse({
        message: { case: 'roomUpdate', value: new RoomUpdate({ room: this.toProto() }) },
      }),
    );
  }

  /** A packet a participant sent on one of its channels. */
  receiveData(sender: Participant, channel: ChannelKind, bytes: Uint8Array): void {
    const metrics = this.context.metrics;
    metrics?.packetIn(bytes.byteLength);
    if (sender.disconnected) {
      metrics?.packetDropped('not_ready');
      return;
    }
    if (!sender.permission.canPublishData) {
      metrics?.packetDropped('no_permission');
      return;
    }
    if (bytes.byteLength > this.context.limits.dataPacketBytes) {
      sender.logger.error(
        { bytes: bytes.byteLength, limit: this.context.limits.dataPacketBytes },
        'data packet over the size limit dropped: split it (data streams do) or send less',
      );
      metrics?.packetDropped('oversize');
      return;
    }
    let packet: DataPacket;
    try {
      packet = DataPacket.fromBinary(bytes);
    } catch (error) {
      sender.logger.warn({ err: error }, 'data message dropped: not a DataPacket');
      metrics?.packetDropped('malformed');
      return;
    }
    if (channel === 'reliable' && !sender.receivedReliable(packet.sequence)) {
      metrics?.packetDropped('duplicate');
      return;
    }
    if (!isForwardable(packet, sender)) return;
    if (this.isRepeatedNonce(packet)) return;
    stampPacket(packet, sender, channel);
    this.deliver(packet, channel, sender);
  }

  /** A packet from the server API: no sender, delivered to every matching participant. */
  sendServerData(packet: DataPacket): void {
    packet.participantIdentity = '';
    packet.participantSid = '';
    packet.sequence = 0;
    // The nonce is remembered even with nobody here, so a retry reaching a later joiner is still dropped.
    if (this.isRepeatedNonce(packet) || this.participants.size === 0) return;
    this.deliver(packet, channelOf(packet), undefined);
  }

  private isRepeatedNonce(packet: DataPacket): boolean {
    if (packet.value.case !== 'user' || !this.nonces.isRepeat(packet.value.value.nonce)) return false;
    this.context.metrics?.packetDropped('duplicate');
    return true;
  }

  /** Every participant gets leave(reason); the room closes and fires room_finished. */
  close(reason: DisconnectReason): void {
    if (this.closed) return;
    for (const participant of [...this.participants.values()]) this.remove(participant, reason);
    this.closed = true;
    clearTimeout(this.closeTimer);
    clearTimeout(this.roomUpdateTimer);
    this.context.metrics?.roomsClosed();
    this.context.webhook?.emit('room_finished', { room: this.toProto() });
    this.logger.debug({ reason: DisconnectReason[reason] }, 'room finished');
    this.onClosed(this);
  }

  /** Serialises once and writes the same bytes to every recipient's downstream channel. */
  private deliver(packet: DataPacket, channel: ChannelKind, sender: Participant | undefined): void {
    const bytes = packet.toBinary();
    if (bytes.byteLength > this.context.limits.dataPacketBytes) {
      (sender?.logger ?? this.logger).error(
        { bytes: bytes.byteLength, limit: this.context.limits.dataPacketBytes },
        'data packet over the size limit dropped: split it or send less',
      );
      this.context.metrics?.packetDropped('oversize');
      return;
    }
    const identities = packet.destinationIdentities;
    const sids = destinationSids(packet);
    if (identities.length === 0 && sids.length === 0) {
      for (const recipient of this.participants.values()) {
        if (recipient !== sender) recipient.downstream.send(channel, bytes);
      }
      return;
    }
    for (const identity of identities) {
      const recipient = this.participants.get(identity);
      if (recipient !== undefined && recipient !== sender) recipient.downstream.send(channel, bytes);
    }
    for (const sid of sids) {
      const recipient = this.bySid.get(sid);
      if (recipient !== undefined && recipient !== sender && !identities.includes(recipient.identity)) {
        recipient.downstream.send(channel, bytes);
      }
    }
  }

  /** Sends one participant's update to the others (never about hidden ones) and optionally to itself. */
  private broadcastParticipant(participant: Participant, includeSelf: boolean): void {
    const bytes = new SignalResponse({
      message: { case: 'update', value: new ParticipantUpdate({ participants: [participant.info()] }) },
    }).toBinary();
    if (includeSelf) participant.signal?.sendBytes(bytes);
    if (participant.hidden) return;
    for (const other of this.participants.values()) {
      if (other !== participant) other.signal?.sendBytes(bytes);
    }
  }

  private visibleTo(participant: Participant): Participant[] {
    return [...this.participants.values()].filter((p) => p !== participant && !p.hidden);
  }

  private joinResponse(participant: Participant): JoinResponse {
    return new JoinResponse({
      room: this.toProto(),
      participant: participant.info(),
      otherParticipants: this.visibleTo(participant).map((p) => p.info()),
      serverVersion: SERVER_VERSION,
      serverInfo: new ServerInfo({
        edition: ServerInfo_Edition.Standard,
        version: SERVER_VERSION,
        protocol: SERVER_PROTOCOL,
      }),
      subscriberPrimary: participant.subscriberPrimary,
      clientConfiguration: new ClientConfiguration(),
      pingTimeout: this.context.pingTimeoutSeconds,
      pingInterval: this.context.pingIntervalSeconds,
      fastPublish: participant.permission.canPublishData,
    });
  }

  private scheduleClose(timeoutSeconds: number): void {
    clearTimeout(this.closeTimer);
    this.closeTimer = setTimeout(() => {
      if (this.participants.size === 0) this.close(DisconnectReason.ROOM_CLOSED);
    }, timeoutSeconds * 1000);
    this.closeTimer.unref();
  }
}
