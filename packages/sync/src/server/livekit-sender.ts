import { DataPacket_Kind, type ParticipantInfo, type RoomServiceClient } from 'livekit-server-sdk';
import { SYNC_TOPIC } from '../packet.ts';
import { type SendDataClient, SendDataError } from './send-data-client.ts';

/** What the broadcaster needs from LiveKit: deliver one payload to one room. */
export type SendToRoom = (room: string, payload: Uint8Array) => Promise<'sent' | 'no-room'>;

/**
 * Sends through RoomService.SendData, reliable, on topic `sync`, so it works the same against our SFU and
 * LiveKit Cloud: first over the keep-alive client; a call that fails in transport or with a 5xx goes once
 * more through livekit-server-sdk, which fails over to another LiveKit Cloud region. A room that does not
 * exist has nobody to deliver to: that is `no-room`, not an error (whoever joins later loads a snapshot).
 * Every other failure throws, and the caller retries.
 */
export function createLiveKitSender(
  client: Pick<SendDataClient, 'sendData'>,
  fallback: Pick<RoomServiceClient, 'sendData'>,
): SendToRoom {
  const answer = async (send: () => Promise<void>): Promise<'sent' | 'no-room'> => {
    try {
      await send();
      return 'sent';
    } catch (error) {
      if (isRoomNotFound(error)) return 'no-room';
      throw error;
    }
  };
  return async (room, payload) => {
    try {
      return await answer(() => client.sendData(room, payload, SYNC_TOPIC));
    } catch (error) {
      if (error instanceof SendDataError && error.status < 500) throw error;
      return answer(() => fallback.sendData(room, payload, DataPacket_Kind.RELIABLE, { topic: SYNC_TOPIC }));
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
