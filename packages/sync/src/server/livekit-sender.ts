import { DataPacket_Kind, type ParticipantInfo, type RoomServiceClient } from 'livekit-server-sdk';
import { SYNC_TOPIC } from '../packet.ts';

/** What the broadcaster needs from LiveKit: deliver one payload to one room. */
export type SendToRoom = (room: string, payload: Uint8Array) => Promise<'sent' | 'no-room'>;

/**
 * Sends through RoomService.SendData, reliable, on topic `sync`, so it works the same against our SFU and
 * LiveKit Cloud. A room that does not exist has nobody to deliver to: that is `no-room`, not an error
 * (whoever joins later loads a snapshot). Every other failure throws, and the caller retries.
 */
export function createLiveKitSender(roomService: Pick<RoomServiceClient, 'sendData'>): SendToRoom {
  return async (room, payload) => {
    try {
      await roomService.sendData(room, payload, DataPacket_Kind.RELIABLE, { topic: SYNC_TOPIC });
      return 'sent';
    } catch (error) {
      if (isRoomNotFound(error)) return 'no-room';
      throw error;
    }
  };
}

/** LiveKit's answer for a room that does not exist (no one has joined it, or it emptied and closed). */
export function isRoomNotFound(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, status } = error as { code?: unknown; status?: unknown };
  return code === 'not_found' || status === 404;
}

/** The room's participants, or null when the room does not exist (nobody is in it). */
export async function listRoomParticipants(
  roomService: Pick<RoomServiceClient, 'listParticipants'>,
  room: string,
): Promise<ParticipantInfo[] | null> {
  try {
    return await roomService.listParticipants(room);
  } catch (error) {
    if (isRoomNotFound(error)) return null;
    throw error;
  }
}
