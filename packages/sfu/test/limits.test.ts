import { DataPacket_Kind } from '@livekit/protocol';
import { RoomEvent } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { useSfu } from './support/sfu-stack.ts';
import { joinToken, roomService } from './support/tokens.ts';
import { twirpFailure } from './support/twirp-error.ts';

/** One limits module for every path: a server started with small limits enforces them everywhere. */
const stack = useSfu({
  limits: { metadataBytes: 16, nameBytes: 12, attributesBytes: 32, dataPacketBytes: 200 },
});

const over = (bytes: number) => 'x'.repeat(bytes + 1);

describe('injected limits', () => {
  it('refuse over-long names at join, before the upgrade', async () => {
    const http = stack.sfu.url.replace(/^ws/, 'http');
    const longIdentity = await fetch(`${http}/rtc/validate?access_token=${await joinToken('r', over(12))}`);
    expect([longIdentity.status, await longIdentity.text()]).toEqual([
      400,
      'identity is too long (max 12 bytes)',
    ]);
    const longRoom = await fetch(`${http}/rtc/validate?access_token=${await joinToken(over(12), 'id')}`);
    expect(longRoom.status).toBe(400);
  });

  it('refuse RoomService values over them with invalid_argument', async () => {
    const api = roomService(stack.sfu.url);
    expect(await twirpFailure(api.createRoom({ name: 'lim', metadata: over(16) }))).toMatchObject({
      status: 400,
      code: 'invalid_argument',
    });
    await api.createRoom({ name: 'lim' });
    expect(await twirpFailure(api.updateRoomMetadata('lim', over(16)))).toMatchObject({ status: 400 });
    expect(
      await twirpFailure(api.sendData('lim', new Uint8Array(300), DataPacket_Kind.RELIABLE, {})),
    ).toMatchObject({ status: 400, code: 'invalid_argument' });
  });

  it('refuse a participant updating its own metadata over them', async () => {
    const watcher = await stack.node('lim-self', 'watcher');
    const self = await stack.node('lim-self', 'me', { canUpdateOwnMetadata: true });
    const seen: string[] = [];
    watcher.room.on(RoomEvent.ParticipantMetadataChanged, (_old, participant) => {
      if (participant.identity === 'me') seen.push(participant.metadata);
    });
    const local = self.room.localParticipant;
    if (local === undefined) throw new Error('no local participant');
    // The server handles one participant's requests in order: by the time 'fits' shows, the
    // over-long update before it was refused or applied.
    await local.updateMetadata(over(16)).catch(() => {});
    await local.updateMetadata('fits');
    await expect.poll(() => seen.at(-1), { timeout: 15_000 }).toBe('fits');
    expect(seen).not.toContain(over(16));
    expect((await roomService(stack.sfu.url).getParticipant('lim-self', 'me')).metadata).toBe('fits');
  });
});
