import { randomBytes } from 'node:crypto';
import { DataPacket, DataPacket_Kind, UserPacket } from '@livekit/protocol';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { NONCE_WINDOW, RecentNonces } from '../src/room/recent-nonces.ts';
import type { NodeParticipant } from './support/node-participant.ts';
import { useSfu } from './support/sfu-stack.ts';
import { roomService } from './support/tokens.ts';

describe('RecentNonces', () => {
  it('reports a nonce seen within the window and forgets the oldest beyond it', () => {
    const nonces = new RecentNonces(3);
    const [a, b, c, d] = [1, 2, 3, 4].map((n) => new Uint8Array(16).fill(n)) as Uint8Array[];
    expect(nonces.isRepeat(a as Uint8Array)).toBe(false);
    expect(nonces.isRepeat(new Uint8Array(a as Uint8Array))).toBe(true);
    nonces.isRepeat(b as Uint8Array);
    nonces.isRepeat(c as Uint8Array);
    nonces.isRepeat(d as Uint8Array);
    expect(nonces.isRepeat(a as Uint8Array)).toBe(false);
    expect(nonces.isRepeat(d as Uint8Array)).toBe(true);
  });

  it('ignores empty and malformed nonces, as livekit-server only reads 16-byte ones', () => {
    const nonces = new RecentNonces();
    expect(nonces.isRepeat(new Uint8Array())).toBe(false);
    expect(nonces.isRepeat(new Uint8Array())).toBe(false);
    expect(nonces.isRepeat(new Uint8Array(8))).toBe(false);
    expect(nonces.isRepeat(new Uint8Array(8))).toBe(false);
    expect(NONCE_WINDOW).toBe(100);
  });
});

const stack = useSfu({ logger: pino({ level: 'warn' }) });
const { node, raw } = stack;

const count = (participant: NodeParticipant, text: string) =>
  participant.received.filter((r) => r.text === text).length;

describe('nonce de-duplication', () => {
  it('delivers a RoomService.SendData retried with the same nonce once', async () => {
    const receiver = await node('nonce-server', 'receiver');
    const api = roomService(stack.sfu.url);
    // Record the request livekit-server-sdk sends, then send it again as a retrying library would.
    const fetchOnce = globalThis.fetch;
    let retry: (() => Promise<Response>) | undefined;
    globalThis.fetch = (input, init) => {
      retry = () => fetchOnce(input, init);
      return fetchOnce(input, init);
    };
    try {
      await api.sendData('nonce-server', new TextEncoder().encode('once'), DataPacket_Kind.RELIABLE, {});
    } finally {
      globalThis.fetch = fetchOnce;
    }
    expect((await (retry as () => Promise<Response>)()).status).toBe(200);
    await api.sendData('nonce-server', new TextEncoder().encode('marker'), DataPacket_Kind.RELIABLE, {});
    await receiver.nextData('marker');
    expect(count(receiver, 'once')).toBe(1);
  });

  it('delivers a participant packet repeated with the same nonce once', async () => {
    const receiver = await node('nonce-peer', 'receiver');
    const sender = await raw('nonce-peer', 'sender');
    const nonce = randomBytes(16);
    const packet = (sequence: number, text: string, withNonce: Uint8Array) =>
      Buffer.from(
        new DataPacket({
          kind: DataPacket_Kind.RELIABLE,
          sequence,
          value: {
            case: 'user',
            value: new UserPacket({ payload: new TextEncoder().encode(text), nonce: withNonce }),
          },
        }).toBinary(),
      );
    sender.reliable.sendMessageBinary(packet(1, 'twice', nonce));
    sender.reliable.sendMessageBinary(packet(2, 'twice', nonce));
    sender.reliable.sendMessageBinary(packet(3, 'marker', randomBytes(16)));
    await receiver.nextData('marker');
    expect(count(receiver, 'twice')).toBe(1);
  });
});
