import type { SyncEvent } from '../event.ts';
import { DEFAULT_MAX_PACKET_BYTES, type SyncRef } from '../packet.ts';
import { PROTOCOL_VERSION } from '../seal/envelope.ts';

export interface EncodedPacket {
  bytes: Uint8Array;
  firstSeq: number;
  lastSeq: number;
  eventCount: number;
  refCount: number;
}

/**
 * The plaintext of packets, before sealing (the broadcaster passes `maxBytes` minus the seal's overhead).
 * Split consecutive events of one space and epoch into as few packets as fit `maxBytes` each, in seq
 * order. An event that cannot fit alone goes out as a ref ({seq, type}) the client fetches through
 * catch-up, so a huge document never breaks the channel. Pure: the JSON is built once per event.
 */
export function packetize(
  space: string,
  epoch: string,
  events: readonly SyncEvent[],
  maxBytes = DEFAULT_MAX_PACKET_BYTES,
): EncodedPacket[] {
  const head = `{"v":${PROTOCOL_VERSION},"space":${JSON.stringify(space)},"epoch":${JSON.stringify(epoch)},"events":[`;
  const overhead = byteLength(head) + byteLength('],"refs":[]}');
  if (overhead + 64 > maxBytes) throw new Error(`maxBytes ${maxBytes} is too small for a packet envelope`);

  const packets: EncodedPacket[] = [];
  let bodies: string[] = [];
  let refs: SyncRef[] = [];
  let size = overhead;
  let firstSeq = 0;
  let lastSeq = 0;

  const flush = () => {
    if (bodies.length === 0 && refs.length === 0) return;
    const text = `${head}${bodies.join(',')}],"refs":${JSON.stringify(refs)}}`;
    packets.push({
      bytes: Buffer.from(text, 'utf8'),
      firstSeq,
      lastSeq,
      eventCount: bodies.length,
      refCount: refs.length,
    });
    bodies = [];
    refs = [];
    size = overhead;
  };

  for (const event of events) {
    const body = JSON.stringify(event);
    const bodyBytes = byteLength(body);
    const fitsAlone = overhead + bodyBytes <= maxBytes;
    const ref: SyncRef = { seq: event.seq, type: event.type };
    // Separators: one comma per extra element in either array.
    const added = fitsAlone
      ? bodyBytes + (bodies.length > 0 ? 1 : 0)
      : byteLength(JSON.stringify(ref)) + (refs.length > 0 ? 1 : 0);
    if (size + added > maxBytes) flush();
    if (bodies.length === 0 && refs.length === 0) firstSeq = event.seq;
    if (fitsAlone) {
      size += bodyBytes + (bodies.length > 0 ? 1 : 0);
      bodies.push(body);
    } else {
      size += byteLength(JSON.stringify(ref)) + (refs.length > 0 ? 1 : 0);
      refs.push(ref);
    }
    lastSeq = event.seq;
  }
  flush();
  return packets;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
