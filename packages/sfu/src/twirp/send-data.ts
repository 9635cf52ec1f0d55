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
  const size = packet.toBinary().length;
  if (size > maxPacketBytes) {
    throw new TwirpError(
      'invalid_argument',
      `data packet is ${size} bytes; the limit is ${maxPacketBytes} bytes (split the payload or use a data stream)`,
    );
  }
  return packet;
}
