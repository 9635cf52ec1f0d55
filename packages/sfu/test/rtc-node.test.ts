import { DataPacketKind, Room, RoomEvent } from '@livekit/rtc-node';
import { afterAll, describe, expect, it } from 'vitest';
import { useBrowserStack } from './support/browser-stack.ts';
import { joinToken, roomService } from './support/tokens.ts';

const stack = useBrowserStack();
const rooms: Room[] = [];

// Registered after the stack's, so it runs before the SFU stops.
afterAll(async () => {
  for (const room of rooms) await room.disconnect();
});

interface Received {
  payload: string;
  from: string | null;
  kind: DataPacketKind | undefined;
  topic: string | null;
}

async function joinNode(roomName: string, identity: string): Promise<{ room: Room; received: Received[] }> {
  const room = new Room();
  const received: Received[] = [];
  room.on(RoomEvent.DataReceived, (payload, participant, kind, topic) => {
    received.push({
      payload: Buffer.from(payload).toString(),
      from: participant?.identity ?? null,
      kind,
      topic: topic ?? null,
    });
  });
  await room.connect(stack.sfu.url, await joinToken(roomName, identity), {
    autoSubscribe: true,
    dynacast: false,
  });
  rooms.push(room);
  return { room, received };
}

const poll = { timeout: 15_000, interval: 100 };

describe('@livekit/rtc-node', () => {
  it('joins and receives server data with no participant, reliable and lossy', async () => {
    const { room, received } = await joinNode('node-server-data', 'bot');
    expect(room.localParticipant?.sid).toMatch(/^PA_/);
    const api = roomService(stack.sfu.url);
    await api.sendData('node-server-data', new TextEncoder().encode('reliable'), 0 as never, { topic: 't1' });
    await api.sendData('node-server-data', new TextEncoder().encode('lossy'), 1 as never, { topic: 't2' });
    await expect.poll(() => received.length, poll).toBe(2);
    expect(received).toEqual(
      expect.arrayContaining([
        { payload: 'reliable', from: null, kind: DataPacketKind.KIND_RELIABLE, topic: 't1' },
        { payload: 'lossy', from: null, kind: DataPacketKind.KIND_LOSSY, topic: 't2' },
      ]),
    );
  });

  it('resumes with the same SID after the SFU drops its signal socket', async () => {
    const { room, received } = await joinNode('node-resume', 'resumer');
    const { room: peer, received: peerReceived } = await joinNode('node-resume', 'peer');
    const sid = room.localParticipant?.sid;
    const reconnected = new Promise<void>((resolve) => room.once(RoomEvent.Reconnected, () => resolve()));
    expect(stack.sfu.dropSignal('resumer', 'node-resume')).toBe(true);
    await reconnected;
    expect(room.localParticipant?.sid).toBe(sid);
    const listed = await roomService(stack.sfu.url).listParticipants('node-resume');
    expect(listed.map((p) => p.sid).sort()).toEqual([sid, peer.localParticipant?.sid].sort());
    await peer.localParticipant?.publishData(new TextEncoder().encode('after'), { reliable: true });
    await room.localParticipant?.publishData(new TextEncoder().encode('back'), { reliable: true });
    await expect.poll(() => received.map((r) => r.payload), poll).toEqual(['after']);
    await expect
      .poll(() => peerReceived.map((r) => `${r.from}:${r.payload}`), poll)
      .toEqual(['resumer:back']);
  });

  it('exchanges data with a browser participant', async () => {
    const { room, received } = await joinNode('mixed', 'node-peer');
    const web = await stack.join('mixed', 'web-peer');
    await expect.poll(() => [...room.remoteParticipants.keys()], poll).toEqual(['web-peer']);
    await room.localParticipant?.publishData(new TextEncoder().encode('from-node'), {
      reliable: true,
      topic: 'greeting',
      destination_identities: ['web-peer'],
    });
    await web.publish('from-web', { topic: 'reply' });
    await expect.poll(() => web.received(), poll).toEqual(['node-peer|greeting|from-node']);
    await expect
      .poll(() => received, poll)
      .toEqual([
        { payload: 'from-web', from: 'web-peer', kind: DataPacketKind.KIND_RELIABLE, topic: 'reply' },
      ]);
  });
});
