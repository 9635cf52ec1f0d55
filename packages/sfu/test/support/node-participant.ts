import { type DataPacketKind, type DisconnectReason, Room, RoomEvent } from '@livekit/rtc-node';
import type { VideoGrant } from 'livekit-server-sdk';
import { joinToken } from './tokens.ts';

export interface Received {
  text: string;
  from: string | undefined;
  kind: DataPacketKind | undefined;
  topic: string | undefined;
}

/** An @livekit/rtc-node participant that records what it receives, for assertions. */
export interface NodeParticipant {
  room: Room;
  received: Received[];
  disconnected: Promise<DisconnectReason>;
  /** Resolves with the first received packet whose text matches. */
  nextData(text: string): Promise<Received>;
  leave(): Promise<void>;
}

export async function joinAsNode(
  url: string,
  roomName: string,
  identity: string,
  grant: Partial<VideoGrant> = {},
): Promise<NodeParticipant> {
  const room = new Room();
  const received: Received[] = [];
  const waiters: Array<{ text: string; resolve: (r: Received) => void }> = [];
  room.on(RoomEvent.DataReceived, (payload, participant, kind, topic) => {
    const entry = { text: new TextDecoder().decode(payload), from: participant?.identity, kind, topic };
    received.push(entry);
    for (const waiter of waiters.filter((w) => w.text === entry.text)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(entry);
    }
  });
  const disconnected = new Promise<DisconnectReason>((resolve) => room.once(RoomEvent.Disconnected, resolve));
  await room.connect(url, await joinToken(roomName, identity, grant), {
    autoSubscribe: true,
    dynacast: false,
  });
  return {
    room,
    received,
    disconnected,
    nextData(text) {
      const seen = received.find((r) => r.text === text);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ text, resolve }));
    },
    async leave() {
      if (room.isConnected) await room.disconnect();
    },
  };
}

/** Resolves when `room` emits `event` with arguments that satisfy `match`. */
export function nextEvent<A extends unknown[]>(
  room: Room,
  event: RoomEvent,
  match: (...args: A) => boolean = () => true,
): Promise<A> {
  return new Promise((resolve) => {
    const listener = (...args: unknown[]) => {
      if (!match(...(args as A))) return;
      room.off(event, listener);
      resolve(args as A);
    };
    room.on(event, listener);
  });
}
