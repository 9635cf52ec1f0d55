import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A LiveKit-style id: the prefix the SDKs check (`RM_`, `PA_`; the Rust SDK rejects others) and
 * 12 random base62 characters, as livekit-server makes them.
 */
export function newId(prefix: 'RM_' | 'PA_'): string {
  const bytes = randomBytes(12);
  let id = prefix;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}
