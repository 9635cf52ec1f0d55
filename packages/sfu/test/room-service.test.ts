import { DataPacket_Kind } from '@livekit/protocol';
import { DataPacketKind, DisconnectReason, dispose, RoomEvent } from '@livekit/rtc-node';
import type { RoomServiceClient } from 'livekit-server-sdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { type NodeParticipant, nextEvent } from './support/node-participant.ts';
import { useSfu } from './support/sfu-stack.ts';
import { roomService } from './support/tokens.ts';
import { twirpFailure } from './support/twirp-error.ts';

const stack = useSfu();
let client: RoomServiceClient;

beforeAll(() => {
  // Registered first, so it runs last: after every participant has left.
  stack.cleanup(dispose);
  client = roomService(stack.sfu.url);
});

const join = (room: string, identity: string): Promise<NodeParticipant> => stack.node(room, identity);

type Who = { identity: string };

async function droppedWithoutPermission(): Promise<number> {
  const text = await (await fetch(`${stack.sfu.url.replace(/^ws/, 'http')}/metrics`)).text();
  return Number(/^sfu_packets_dropped_total\{reason="no_permission"\} (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('RoomService through livekit-server-sdk against a live SFU', () => {
  it('creates rooms idempotently, lists them and deletes them', async () => {
    const created = await client.createRoom({
      name: 'svc-a',
      metadata: 'first',
      emptyTimeout: 60,
      maxParticipants: 3,
    });
    expect(created.sid).toMatch(/^RM_/);
    expect(created.metadata).toBe('first');
    expect(created.maxParticipants).toBe(3);
    expect((await client.createRoom({ name: 'svc-a' })).sid).toBe(created.sid);
    await client.createRoom({ name: 'svc-b' });

    const names = (await client.listRooms()).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['svc-a', 'svc-b']));
    expect((await client.listRooms(['svc-b'])).map((r) => r.name)).toEqual(['svc-b']);

    await client.deleteRoom('svc-a');
    expect((await client.listRooms(['svc-a'])).length).toBe(0);
    expect(await twirpFailure(client.deleteRoom('svc-a'))).toEqual({
      status: 404,
      code: 'not_found',
      message: 'requested room does not exist',
    });
  });

  it('lists, gets and updates real participants, who see the changes', async () => {
    const alice = await join('svc-people', 'alice');
    const bob = await join('svc-people', 'bob');

    const listed = await client.listParticipants('svc-people');
    expect(listed.map((p) => p.identity).sort()).toEqual(['alice', 'bob']);
    const info = await client.getParticipant('svc-people', 'alice');
    expect(info.identity).toBe('alice');
    expect(info.sid).toMatch(/^PA_/);
    expect(info.sid).toBe(alice.room.localParticipant?.sid);
    expect((await twirpFailure(client.getParticipant('svc-people', 'nobody'))).status).toBe(404);

    const bobSeesMetadata = nextEvent(
      bob.room,
      RoomEvent.ParticipantMetadataChanged,
      (_m: unknown, p: Who) => p.identity === 'alice',
    );
    const bobSeesAttributes = nextEvent(
      bob.room,
      RoomEvent.ParticipantAttributesChanged,
      (_a: unknown, p: Who) => p.identity === 'alice',
    );
    const bobSeesName = nextEvent(
      bob.room,
      RoomEvent.ParticipantNameChanged,
      (_n: unknown, p: Who) => p.identity === 'alice',
    );
    const updated = await client.updateParticipant('svc-people', 'alice', {
      metadata: 'busy',
      name: 'Alice A.',
      attributes: { mood: 'calm' },
    });
    expect(updated.metadata).toBe('busy');
    expect(updated.name).toBe('Alice A.');
    expect(updated.attributes).toEqual({ mood: 'calm' });

    await Promise.all([bobSeesMetadata, bobSeesAttributes, bobSeesName]);
    const aliceAsBobSeesHer = bob.room.remoteParticipants.get('alice');
    expect(aliceAsBobSeesHer?.metadata).toBe('busy');
    expect(aliceAsBobSeesHer?.name).toBe('Alice A.');
    expect(aliceAsBobSeesHer?.attributes).toEqual({ mood: 'calm' });

    // An empty value deletes an attribute; absent metadata/name stay as they are.
    const cleared = await client.updateParticipant('svc-people', 'alice', { attributes: { mood: '' } });
    expect(cleared.attributes).toEqual({});
    expect(cleared.metadata).toBe('busy');
  });

  it('replaces a participant permission: without canPublishData her packets stop reaching others', async () => {
    const carol = await join('svc-perm', 'carol');
    const dave = await join('svc-perm', 'dave');
    await carol.room.localParticipant?.publishData(bytes('before'), { reliable: true });
    expect((await dave.nextData('before')).from).toBe('carol');

    const updated = await client.updateParticipant('svc-perm', 'carol', {
      permission: { canSubscribe: true, canPublishData: false },
    });
    expect(updated.permission?.canPublishData).toBe(false);
    expect(updated.permission?.canPublish).toBe(false);
    expect((await client.getParticipant('svc-perm', 'carol')).permission?.canPublishData).toBe(false);

    const before = await droppedWithoutPermission();
    await carol.room.localParticipant?.publishData(bytes('blocked'), { reliable: true });
    // Once the server has counted carol's packet as dropped, its own packet follows on dave's channel.
    await expect.poll(droppedWithoutPermission).toBe(before + 1);
    await client.sendData('svc-perm', bytes('after'), DataPacket_Kind.RELIABLE, {});
    await dave.nextData('after');
    expect(dave.received.map((r) => r.text)).not.toContain('blocked');
  });

  it('sends server data to everyone or to chosen identities, with topic and kind and no sender', async () => {
    const erin = await join('svc-data', 'erin');
    const frank = await join('svc-data', 'frank');

    await client.sendData('svc-data', bytes('to-all'), DataPacket_Kind.RELIABLE, { topic: 'news' });
    for (const p of [erin, frank]) {
      const got = await p.nextData('to-all');
      expect(got.from).toBeUndefined();
      expect(got.topic).toBe('news');
    }

    await client.sendData('svc-data', bytes('only-frank'), DataPacket_Kind.RELIABLE, {
      destinationIdentities: ['frank'],
    });
    await client.sendData('svc-data', bytes('marker'), DataPacket_Kind.RELIABLE, {});
    await frank.nextData('only-frank');
    await erin.nextData('marker');
    expect(erin.received.map((r) => r.text)).not.toContain('only-frank');

    await client.sendData('svc-data', bytes('lossy'), DataPacket_Kind.LOSSY, { topic: 'fast' });
    // Lossy may drop under load; on an idle loopback it arrives, flagged lossy.
    const lossy = await frank.nextData('lossy');
    expect(lossy.kind).toBe(DataPacketKind.KIND_LOSSY);
    expect(lossy.topic).toBe('fast');

    expect(
      (await twirpFailure(client.sendData('svc-nowhere', bytes('x'), DataPacket_Kind.RELIABLE, {}))).status,
    ).toBe(404);
  });

  it('updates room metadata for everyone in the room', async () => {
    const gina = await join('svc-meta', 'gina');
    const seen = nextEvent(gina.room, RoomEvent.RoomMetadataChanged, (m: string) => m === 'topic: tea');
    const room = await client.updateRoomMetadata('svc-meta', 'topic: tea');
    expect(room.metadata).toBe('topic: tea');
    await seen;
    expect(gina.room.metadata).toBe('topic: tea');
    expect((await client.listRooms(['svc-meta']))[0]?.metadata).toBe('topic: tea');
  });

  it('removes a participant: she is disconnected and the others see her leave', async () => {
    const hal = await join('svc-remove', 'hal');
    const ivy = await join('svc-remove', 'ivy');
    const ivySeesLeave = nextEvent(
      ivy.room,
      RoomEvent.ParticipantDisconnected,
      (p: Who) => p.identity === 'hal',
    );

    await client.removeParticipant('svc-remove', 'hal');
    expect(await hal.disconnected).toBe(DisconnectReason.PARTICIPANT_REMOVED);
    await ivySeesLeave;
    expect((await client.listParticipants('svc-remove')).map((p) => p.identity)).toEqual(['ivy']);
    expect((await twirpFailure(client.removeParticipant('svc-remove', 'hal'))).status).toBe(404);
  });

  it('deletes a room with people in it: they are disconnected', async () => {
    const jo = await join('svc-delete', 'jo');
    await client.deleteRoom('svc-delete');
    expect(await jo.disconnected).toBe(DisconnectReason.ROOM_DELETED);
    expect((await client.listRooms(['svc-delete'])).length).toBe(0);
  });

  it('has no tracks to mute and accepts subscription updates', async () => {
    await join('svc-tracks', 'kim');
    expect(await twirpFailure(client.mutePublishedTrack('svc-tracks', 'kim', 'TR_none', true))).toMatchObject(
      {
        status: 404,
        code: 'not_found',
      },
    );
    await expect(client.updateSubscriptions('svc-tracks', 'kim', [], true)).resolves.toBeUndefined();
  });
});
