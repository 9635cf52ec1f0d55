/** livekit-server remembers the last 100 user-packet nonces of a room. */
export const NONCE_WINDOW = 100;
const NONCE_BYTES = 16;

/**
 * The nonces of a room's most recent user packets, oldest evicted first, so a packet a client
 * library retried (same 16-byte nonce) is delivered once. Memory is bounded by the window.
 */
export class RecentNonces {
  private readonly capacity: number;
  /** Insertion-ordered: the first key is the oldest. */
  private readonly seen = new Set<string>();

  constructor(capacity = NONCE_WINDOW) {
    this.capacity = capacity;
  }

  /** Whether the nonce was seen within the window; records it if not. Only 16-byte nonces count. */
  isRepeat(nonce: Uint8Array): boolean {
    if (nonce.byteLength !== NONCE_BYTES) return false;
    const key = Buffer.from(nonce.buffer, nonce.byteOffset, nonce.byteLength).toString('base64');
    if (this.seen.has(key)) return true;
    this.seen.add(key);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return false;
  }
}
