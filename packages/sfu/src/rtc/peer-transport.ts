import type { DataChannel, PeerConnection, RTCPeerConnectionState } from 'node-datachannel';
import ndc from 'node-datachannel';
import type { Logger } from 'pino';
import { candidateInitJson, mLineIndexOf, parseCandidateInit } from './ice-candidate.ts';
import { nativeCallback } from './native-callback.ts';

/** Where the server's WebRTC side binds and which ICE servers it uses (none on a LAN). */
export interface RtcOptions {
  /** Local address libjuice binds to; every interface when unset. */
  bindAddress?: string;
  portRangeBegin?: number;
  portRangeEnd?: number;
  /** libdatachannel ICE server URLs, e.g. `stun:stun.example.org:3478`. */
  iceServers?: string[];
}

export interface TransportEvents {
  /** A local candidate, already in the SDKs' JSON shape. */
  candidate(candidateInit: string): void;
  state(state: RTCPeerConnectionState): void;
  dataChannel(channel: DataChannel): void;
}

/** Both SDKs clamp their sends to min(advertised, 64000); advertise 64 KiB like livekit-server. */
export const MAX_MESSAGE_SIZE = 65536;

/**
 * One server-side peer connection (node-datachannel) with explicit negotiation, so each remote
 * offer gets exactly one answer we can tag with the offer's id.
 */
export class PeerTransport {
  private readonly pc: PeerConnection;
  private readonly logger: Logger;
  /**
   * node-datachannel stops delivering a channel's messages once its JS object is garbage
   * collected, so every channel of this connection is held here until the connection closes.
   */
  private channels: DataChannel[] = [];
  private closed = false;
  private readonly events: TransportEvents;
  /** Our local candidates while our own offer waits for its answer (see `offer`). */
  private heldCandidates: string[] | undefined;

  constructor(name: string, options: RtcOptions, logger: Logger, events: TransportEvents) {
    this.logger = logger;
    this.events = events;
    this.pc = new ndc.PeerConnection(name, {
      iceServers: options.iceServers ?? [],
      bindAddress: options.bindAddress,
      portRangeBegin: options.portRangeBegin,
      portRangeEnd: options.portRangeEnd,
      maxMessageSize: MAX_MESSAGE_SIZE,
      disableAutoNegotiation: true,
    });
    this.pc.onLocalCandidate(
      nativeCallback(logger, 'local candidate', (candidate: string, mid: string) => {
        if (this.closed) return;
        const sdp = this.pc.localDescription()?.sdp ?? '';
        const init = candidateInitJson(candidate, mid, mLineIndexOf(sdp, mid));
        if (this.heldCandidates === undefined) events.candidate(init);
        else this.heldCandidates.push(init);
      }),
    );
    this.pc.onStateChange(
      nativeCallback(logger, 'state change', (state: string) => {
        if (!this.closed) events.state(state as RTCPeerConnectionState);
      }),
    );
    this.pc.onDataChannel(
      nativeCallback(logger, 'data channel', (channel: DataChannel) => {
        if (this.closed) return;
        this.channels.push(channel);
        events.dataChannel(channel);
      }),
    );
  }

  get state(): RTCPeerConnectionState {
    return this.closed ? 'closed' : this.pc.state();
  }

  /** Applies a remote offer and returns our answer SDP. Throws when libdatachannel rejects it. */
  answer(offerSdp: string): string {
    const remote = this.pc.remoteDescription();
    this.pc.setRemoteDescription(
      remote === null ? offerSdp : keepIceCredentials(offerSdp, remote.sdp),
      'offer',
    );
    this.pc.setLocalDescription('answer');
    const local = this.pc.localDescription();
    if (local === null) throw new Error('no local answer after applying the offer');
    return local.sdp;
  }

  /**
   * Creates our offer (v0 subscriber connection) after the data channels were added. The client
   * learns none of our addresses until its answer is applied: ICE and DTLS run on native threads,
   * so a client that could reach us early would finish its DTLS handshake before the event loop
   * read the answer carrying its certificate fingerprint, and libdatachannel fails that handshake.
   */
  offer(): string {
    this.heldCandidates ??= [];
    this.pc.setLocalDescription('offer');
    const local = this.pc.localDescription();
    if (local === null) throw new Error('no local offer');
    return withoutCandidates(local.sdp);
  }

  /** Applies the answer to our offer, then lets the client know where to reach us. */
  applyAnswer(answerSdp: string): void {
    this.pc.setRemoteDescription(answerSdp, 'answer');
    const held = this.heldCandidates ?? [];
    this.heldCandidates = undefined;
    for (const init of held) this.events.candidate(init);
  }

  addRemoteCandidate(candidateInit: string): void {
    const parsed = parseCandidateInit(candidateInit);
    if (parsed === undefined || this.closed) return;
    try {
      this.pc.addRemoteCandidate(parsed.candidate, parsed.mid);
    } catch (error) {
      this.logger.debug({ err: error, candidate: parsed.candidate }, 'remote ICE candidate ignored');
    }
  }

  createDataChannel(label: string, reliable: boolean): DataChannel {
    const channel = this.pc.createDataChannel(label, reliable ? {} : { unordered: true, maxRetransmits: 0 });
    this.channels.push(channel);
    return channel;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channels = [];
    this.pc.close();
  }
}

/** An SDP without its ICE candidates, which then travel by trickle only. */
function withoutCandidates(sdp: string): string {
  return sdp.replace(/^a=(candidate:.*|end-of-candidates)\r?\n/gm, '');
}

/**
 * libdatachannel cannot restart ICE and rejects an offer whose credentials changed. A resuming
 * client sends exactly that, so we answer it on the running ICE session: the client keeps its
 * working candidate pair and its negotiation completes instead of hanging.
 */
export function keepIceCredentials(offerSdp: string, previousRemoteSdp: string): string {
  const ufrag = /^a=ice-ufrag:(.*)$/m.exec(previousRemoteSdp)?.[1];
  const pwd = /^a=ice-pwd:(.*)$/m.exec(previousRemoteSdp)?.[1];
  if (ufrag === undefined || pwd === undefined) return offerSdp;
  return offerSdp
    .replace(/^a=ice-ufrag:.*$/gm, `a=ice-ufrag:${ufrag.trim()}`)
    .replace(/^a=ice-pwd:.*$/gm, `a=ice-pwd:${pwd.trim()}`);
}
