import {
  type ClientInfo_Capability,
  DisconnectReason,
  LeaveRequest,
  LeaveRequest_Action,
  ParticipantInfo,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  ParticipantPermission,
  SignalResponse,
} from '@livekit/protocol';
import type { Logger } from 'pino';
import type { VideoClaims } from '../auth/claims.ts';
import { grantWithPermission } from '../auth/permission.ts';
import type { ParticipantClaims } from '../auth/refresh-token.ts';
import type { ParticipantChanges } from '../ports.ts';
import type { Downstream } from '../rtc/downstream.ts';
import type { PeerTransport } from '../rtc/peer-transport.ts';
import type { SignalVersion } from '../signal/connect-request.ts';
import type { SignalConnection } from '../signal/signal-connection.ts';
import { mergeAttributes } from './attributes.ts';

/** What the join token granted beyond the fields a participant shows: refreshed tokens carry it on. */
export interface JoinGrant {
  /** The API key that signed the join token; refreshed tokens are signed with it too. */
  apiKey: string;
  /** The token's video grant, kept current as permissions change. */
  video: VideoClaims;
  kind: string | undefined;
  roomConfig: unknown;
  /** The join token's `exp` (seconds). */
  expiresAt: number;
}

export interface ParticipantInit {
  sid: string;
  identity: string;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
  permission: ParticipantPermission;
  kind: ParticipantInfo_Kind;
  clientProtocol: number;
  capabilities: ClientInfo_Capability[];
  grant: JoinGrant;
  signalVersion: SignalVersion;
  /** v0 only: the server offers a subscriber connection that carries downstream data. */
  subscriberPrimary: boolean;
  downstream: Downstream;
  logger: Logger;
}

/**
 * A data-only server cannot take media, so it never advertises canPublish: livekit-client then
 * refuses publishTrack at once instead of waiting 10 s for a track_published that never comes.
 */
export function dataOnlyPermission(permission: ParticipantPermission): ParticipantPermission {
  const copy = permission.clone();
  copy.canPublish = false;
  copy.canPublishSources = [];
  return copy;
}

/** One participant session: identity, the state the SDKs see, and its connections. */
export class Participant {
  readonly sid: string;
  readonly identity: string;
  name: string;
  metadata: string;
  attributes: Record<string, string>;
  permission: ParticipantPermission;
  readonly kind: ParticipantInfo_Kind;
  readonly clientProtocol: number;
  readonly capabilities: ClientInfo_Capability[];
  readonly joinedAtMs = Date.now();
  readonly grant: JoinGrant;
  readonly signalVersion: SignalVersion;
  readonly subscriberPrimary: boolean;
  readonly downstream: Downstream;
  readonly logger: Logger;

  state = ParticipantInfo_State.JOINING;
  /** Strictly increasing: livekit-client ignores an update older than what it holds. */
  version = 0;
  disconnectReason = DisconnectReason.UNKNOWN_REASON;
  signal: SignalConnection | undefined;
  /** The connection the client offers (v1: the only one). */
  publisher: PeerTransport | undefined;
  /** v0 subscriber-primary: the connection the server offers. */
  subscriber: PeerTransport | undefined;
  /** Highest reliable sequence received; answers ReconnectResponse.last_message_seq. */
  private lastReliableSeqValue = 0;
  /** Timer that ends the session if a dropped signal connection is not resumed. */
  resumeTimer: NodeJS.Timeout | undefined;
  /** Sends a fresh token every few minutes, as livekit-server does. */
  private tokenRefreshTimer: NodeJS.Timeout | undefined;
  /** Refreshed tokens are minted asynchronously; chaining keeps them in the order of the changes. */
  tokenRefreshes: Promise<void> = Promise.resolve();
  private nextOfferId = 1;

  constructor(init: ParticipantInit) {
    this.sid = init.sid;
    this.identity = init.identity;
    this.name = init.name;
    this.metadata = init.metadata;
    this.attributes = init.attributes;
    this.permission = init.permission;
    this.kind = init.kind;
    this.clientProtocol = init.clientProtocol;
    this.capabilities = init.capabilities;
    this.grant = init.grant;
    this.signalVersion = init.signalVersion;
    this.subscriberPrimary = init.subscriberPrimary;
    this.downstream = init.downstream;
    this.logger = init.logger;
  }

  get hidden(): boolean {
    return this.permission.hidden;
  }

  /** Agents and recorders, which livekit-server leaves out of a room's participant count. */
  get isDependent(): boolean {
    const kind = this.kind;
    return (
      kind === ParticipantInfo_Kind.AGENT ||
      kind === ParticipantInfo_Kind.EGRESS ||
      this.permission.agent ||
      this.permission.recorder
    );
  }

  get disconnected(): boolean {
    return this.state === ParticipantInfo_State.DISCONNECTED;
  }

  /** The connection whose "connected" makes the participant ACTIVE and carries downstream data. */
  get primary(): PeerTransport | undefined {
    return this.subscriberPrimary ? this.subscriber : this.publisher;
  }

  get lastReliableSeq(): number {
    return this.lastReliableSeqValue;
  }

  /** Marks a change the others must see; call before building the update. */
  private touch(): void {
    this.version += 1;
  }

  /** The room took this session in; its JoinResponse goes out next. */
  admitted(): void {
    this.state = ParticipantInfo_State.JOINED;
    this.touch();
  }

  /** The primary connection is up; false if the session was not waiting for that. */
  activated(): boolean {
    if (this.state !== ParticipantInfo_State.JOINED) return false;
    this.state = ParticipantInfo_State.ACTIVE;
    this.touch();
    return true;
  }

  /** Applies metadata/name/attribute/permission changes; the grant follows the permission. */
  apply(changes: ParticipantChanges): void {
    if (changes.metadata !== undefined && changes.metadata !== '') this.metadata = changes.metadata;
    if (changes.name !== undefined && changes.name !== '') this.name = changes.name;
    if (changes.attributes !== undefined)
      this.attributes = mergeAttributes(this.attributes, changes.attributes);
    if (changes.permission !== undefined) {
      this.permission = dataOnlyPermission(changes.permission);
      this.grant.video = grantWithPermission(this.grant.video, changes.permission);
    }
    this.touch();
  }

  /**
   * Records a reliable packet's sequence; false for one at or below the last (a replay after a
   * resume). Unsequenced packets (0) always pass.
   */
  receivedReliable(sequence: number): boolean {
    if (sequence === 0) return true;
    if (sequence <= this.lastReliableSeqValue) return false;
    this.lastReliableSeqValue = sequence;
    return true;
  }

  refreshTokenEvery(intervalMs: number, refresh: () => void): void {
    clearInterval(this.tokenRefreshTimer);
    this.tokenRefreshTimer = setInterval(refresh, intervalMs);
    this.tokenRefreshTimer.unref();
  }

  /**
   * Ends the session: DISCONNECTED with its reason, a `leave` with `action` when the socket is up
   * (none when undefined, as for a simulated node failure), every timer and connection closed.
   */
  disconnect(reason: DisconnectReason, action: LeaveRequest_Action | undefined): void {
    this.state = ParticipantInfo_State.DISCONNECTED;
    this.disconnectReason = reason;
    this.touch();
    if (this.signal?.isOpen) {
      if (action !== undefined) {
        this.send(
          new SignalResponse({
            message: {
              case: 'leave',
              value: new LeaveRequest({
                reason,
                action,
                canReconnect: action !== LeaveRequest_Action.DISCONNECT,
              }),
            },
          }),
        );
      }
      this.signal.close(1000, 'participant left');
    }
    clearTimeout(this.resumeTimer);
    clearInterval(this.tokenRefreshTimer);
    this.publisher?.close();
    this.subscriber?.close();
    this.downstream.close();
  }

  takeOfferId(): number {
    const id = this.nextOfferId;
    this.nextOfferId += 1;
    return id;
  }

  send(response: SignalResponse): void {
    this.signal?.send(response);
  }

  /** The claims a token for this participant would carry now. */
  claims(): ParticipantClaims {
    return {
      identity: this.identity,
      name: this.name,
      metadata: this.metadata,
      attributes: { ...this.attributes },
      kind: this.grant.kind,
      video: { ...this.grant.video },
      roomConfig: this.grant.roomConfig,
    };
  }

  info(): ParticipantInfo {
    return new ParticipantInfo({
      sid: this.sid,
      identity: this.identity,
      state: this.state,
      metadata: this.metadata,
      joinedAt: BigInt(Math.floor(this.joinedAtMs / 1000)),
      joinedAtMs: BigInt(this.joinedAtMs),
      name: this.name,
      version: this.version,
      permission: new ParticipantPermission(this.permission),
      kind: this.kind,
      attributes: { ...this.attributes },
      disconnectReason: this.disconnectReason,
      clientProtocol: this.clientProtocol,
      capabilities: this.capabilities,
    });
  }
}
