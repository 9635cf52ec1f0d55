import { type DataPacket, DataPacket_Kind, ParticipantInfo_Kind } from '@livekit/protocol';
import type { ChannelKind } from '../rtc/downstream.ts';

export interface PacketSender {
  sid: string;
  identity: string;
  hidden: boolean;
  kind: ParticipantInfo_Kind;
}

/**
 * Rewrites a client packet the way livekit-server does before forwarding: the kind comes from the
 * channel it arrived on and the sender fields from the authenticated session (a client cannot
 * claim another identity; hidden senders stay anonymous). Destination lists are kept in sync.
 */
export function stampPacket(packet: DataPacket, sender: PacketSender, channel: ChannelKind): void {
  const identity = sender.hidden ? '' : sender.identity;
  packet.kind = channel === 'reliable' ? DataPacket_Kind.RELIABLE : DataPacket_Kind.LOSSY;
  packet.participantSid = sender.sid;
  packet.participantIdentity = identity;
  if (packet.value.case === 'user') {
    const user = packet.value.value;
    user.participantSid = sender.sid;
    user.participantIdentity = identity;
    if (packet.destinationIdentities.length === 0) packet.destinationIdentities = user.destinationIdentities;
    else user.destinationIdentities = packet.destinationIdentities;
  }
}

/** Packet types a participant may not relay: transcriptions only come from agents; metrics are not routed. */
export function isForwardable(packet: DataPacket, sender: PacketSender): boolean {
  switch (packet.value.case) {
    case 'transcription':
      return sender.kind === ParticipantInfo_Kind.AGENT;
    case 'metrics':
      return false;
    default:
      return true;
  }
}

/** The deprecated sid-based destination list still honoured by livekit-server. */
export function destinationSids(packet: DataPacket): readonly string[] {
  return packet.value.case === 'user' ? packet.value.value.destinationSids : [];
}

export function channelOf(packet: DataPacket): ChannelKind {
  return packet.kind === DataPacket_Kind.LOSSY ? 'lossy' : 'reliable';
}
