import { type DecodeResult, decodePacket } from '../packet.ts';
import type { OpenFailure, PacketOpener } from '../seal/packet-opener.ts';

/**
 * Verify, decrypt and decode one received packet: for a client that feeds a `SpaceStore` itself (Node
 * clients, benchmarks). Only a packet that passes all three comes back `ok`.
 */
export async function openAndDecode(
  opener: PacketOpener,
  payload: Uint8Array,
): Promise<DecodeResult | { ok: false; reason: OpenFailure; error: string }> {
  const opened = await opener.open(payload);
  if (!opened.ok) return opened;
  const decoded = decodePacket(opened.plaintext);
  if (decoded.ok && decoded.packet.epoch !== opened.epoch) {
    return { ok: false, error: 'the packet names another epoch than its seal' };
  }
  return decoded;
}
