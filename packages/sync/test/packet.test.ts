import { describe, expect, it } from 'vitest';
import type { SyncEvent } from '../src/event.ts';
import { decodePacket } from '../src/packet.ts';
import { packetize } from '../src/server/packetize.ts';

const at = '2026-01-01T00:00:00.000Z';

function utterance(seq: number, content: string): SyncEvent {
  return {
    space: '@s',
    epoch: 'e',
    seq,
    at,
    type: 'intention.upsert',
    entity: {
      id: `i${seq}`,
      type: 'utterance',
      state: 'complete',
      ownerId: '@a',
      locationId: '@s',
      content,
      properties: {},
      createdAt: at,
      modifiedAt: at,
    },
  };
}

describe('packetize + decodePacket', () => {
  it('round-trips a batch in one packet', () => {
    const events = [utterance(1, 'hello'), utterance(2, 'wörld ✨')];
    const packets = packetize('@s', 'e', events);
    expect(packets).toHaveLength(1);
    const decoded = decodePacket(packets[0]?.bytes ?? new Uint8Array());
    expect(decoded.ok && decoded.packet.events).toEqual(events);
  });

  it('splits under the byte limit and keeps seq order across packets', () => {
    const events = Array.from({ length: 50 }, (_, i) => utterance(i + 1, 'x'.repeat(900)));
    const packets = packetize('@s', 'e', events, 10_000);
    expect(packets.length).toBeGreaterThan(4);
    const seqs: number[] = [];
    for (const packet of packets) {
      expect(packet.bytes.length).toBeLessThanOrEqual(10_000);
      const decoded = decodePacket(packet.bytes);
      if (!decoded.ok) throw new Error(decoded.error);
      seqs.push(...decoded.packet.events.map((event) => event.seq));
    }
    expect(seqs).toEqual(events.map((event) => event.seq));
  });

  it('sends an event too big for any packet as a ref', () => {
    const events = [utterance(1, 'small'), utterance(2, '🌱'.repeat(20_000)), utterance(3, 'after')];
    const packets = packetize('@s', 'e', events, 60_000);
    const decoded = packets.map((packet) => decodePacket(packet.bytes));
    const refs = decoded.flatMap((result) => (result.ok ? result.packet.refs : []));
    const carried = decoded.flatMap((result) =>
      result.ok ? result.packet.events.map((event) => event.seq) : [],
    );
    expect(refs).toEqual([{ seq: 2, type: 'intention.upsert' }]);
    expect(carried).toEqual([1, 3]);
    for (const packet of packets) expect(packet.bytes.length).toBeLessThanOrEqual(60_000);
  });

  it('keeps an unknown event type as a skipped position and logs its type', () => {
    const bytes = new TextEncoder().encode(
      JSON.stringify({
        v: 2,
        space: '@s',
        epoch: 'e',
        events: [{ space: '@s', epoch: 'e', seq: 4, at, type: 'reaction.add', entity: { emoji: '🌿' } }],
        refs: [],
      }),
    );
    const decoded = decodePacket(bytes);
    expect(decoded.ok && decoded.unknownTypes).toEqual(['reaction.add']);
    expect(decoded.ok && decoded.packet.events[0]).toMatchObject({ seq: 4, skipped: true });
  });

  it('rejects garbage, a bad envelope, a malformed known event and an event of another space', () => {
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(decodePacket(new Uint8Array([0xff, 0x00]))).toMatchObject({
      ok: false,
      error: 'payload is not JSON',
    });
    // Protocol version 1 (unsigned, unsealed) is refused.
    expect(decodePacket(encode({ v: 1, space: '@s', epoch: 'e', events: [] })).ok).toBe(false);
    const broken = { ...utterance(1, 'x'), entity: { id: 'i1' } };
    expect(decodePacket(encode({ v: 2, space: '@s', epoch: 'e', events: [broken] }))).toMatchObject({
      ok: false,
      error: expect.stringContaining('bad intention.upsert event seq 1'),
    });
    const elsewhere = { ...utterance(1, 'x'), space: '@other' };
    expect(decodePacket(encode({ v: 2, space: '@s', epoch: 'e', events: [elsewhere] })).ok).toBe(false);
  });
});
