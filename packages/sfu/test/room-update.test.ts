import { SignalResponse } from '@livekit/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { RawClient } from '../src/raw-client.ts';
import { useSfu } from './support/sfu-stack.ts';

const INTERVAL_MS = 2_000;
const { raw } = useSfu({ roomUpdateIntervalMs: INTERVAL_MS, logger: pino({ level: 'warn' }) });

/** Every RoomUpdate the client receives from now on, with its arrival time. */
function roomUpdates(client: RawClient): { atMs: number; numParticipants: number; metadata: string }[] {
  const seen: { atMs: number; numParticipants: number; metadata: string }[] = [];
  client.ws.on('message', (data: Buffer) => {
    const response = SignalResponse.fromBinary(new Uint8Array(data));
    if (response.message.case === 'roomUpdate') {
      const room = response.message.value.room;
      seen.push({
        atMs: Date.now(),
        numParticipants: room?.numParticipants ?? -1,
        metadata: room?.metadata ?? '',
      });
    }
  });
  return seen;
}

const poll = { timeout: 15_000, interval: 50 };

describe('RoomUpdate', () => {
  it('batches participant-count changes to one update per interval, as livekit-server', async () => {
    const host = await raw('batched', 'host');
    expect(host.join.room?.numParticipants).toBe(1);
    const updates = roomUpdates(host);
    await Promise.all(['a', 'b', 'c'].map((identity) => raw('batched', identity)));
    await expect.poll(() => updates.at(-1)?.numParticipants, poll).toBe(4);
    expect(updates.length).toBeLessThan(3);
    const gaps = updates.slice(1).map((update, i) => update.atMs - (updates[i]?.atMs ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS / 2);
  });
});
