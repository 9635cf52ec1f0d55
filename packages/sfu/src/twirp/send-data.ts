import { DataPacket, DataPacket_Kind, type SendDataRequest, UserPacket } from '@livekit/protocol';
import { TwirpError } from './twirp-error.ts';

/** The SDKs' nonce is 16 random bytes; livekit-server refuses any other non-empty length. */
const NONCE_BYTES = 16;

/**
 * Builds the packet RoomService.SendData delivers: a UserPacket with no sender, so participant
 * identity/sid stay empty and `sequence` stays 0 and receivers never de-duplicate it.
 */
export function packetFromSendData(request: SendDataRequest, maxPacketBytes: number): DataPacket {
  if (request.kind !== DataPacket_Kind.RELIABLE && request.kind !== DataPacket_Kind.LOSSY) {
    throw new TwirpError(
      'invalid_argument',
      `unknown data packet kind ${request.kind}: use RELIABLE or LOSSY`,
    );
  }
  if (request.nonce.length !== 0 && request.nonce.length !== NONCE_BYTES) {
    throw new TwirpError(
      'invalid_argument',
      `nonce must be empty or ${NONCE_BYTES} bytes, got ${request.nonce.length}`,
    );
  }
  const packet = new DataPacket({
    kind: request.kind,
    destinationIdentities: request.destinationIdentities,
    value: {
      case: 'user',
      value: new UserPacket({
        payload: request.data,
        destinationSids: request.destinationSids,
        destinationIdentities: request.destinationIdentities,
        topic: request.topic,
        nonce: request.nonce,
      }),
    },
  });
  // The room serialises the packet once to deliver it; here, encode only when it may be near the limit.
  const size = sizeBound(request) <= maxPacketBytes ? 0 : packet.toBinary().length;
  if (size > maxPacketBytes) {
    throw new TwirpError(
      'invalid_argument',
      `data packet is ${size} bytes; the limit is ${maxPacketBytes} bytes (split the payload or use a data stream)`,
    );
  }
  return packet;
}

/**
 * An upper bound of the packet's encoded size: every byte it carries, plus a generous 16 bytes of tag and
 * length per field and list item (protobuf needs at most 1 + 5), plus the fixed fields.
 */
function sizeBound(request: SendDataRequest): number {
  const strings = [request.topic ?? '', ...request.destinationSids, ...request.destinationIdentities];
  const identityBytes = request.destinationIdentities.reduce((sum, id) => sum + Buffer.byteLength(id), 0);
  return (
    request.data.length +
    request.nonce.length +
    strings.reduce((sum, text) => sum + Buffer.byteLength(text), 0) +
    identityBytes +
    16 * (strings.length + request.destinationIdentities.length + 8)
  );
}
