import * as z from 'zod/mini';

/**
 * The keys a client needs to open a space's packets, as the app's authenticated API hands them out
 * (`sync.snapshot`, `sync.since`, `sync.keys`), each after the same permission check as reading the space.
 * `signing`: the public halves of the deployment's signing keys that are not retired (Ed25519, raw 32 bytes,
 * base64). `space`: the space's current sealing key (AES-256-GCM, 32 bytes, base64). Never sent in a room.
 */
const nonEmpty = () => z.string().check(z.minLength(1));

export const SyncKeysSchema = z.object({
  signing: z.array(z.object({ id: nonEmpty(), publicKey: nonEmpty() })),
  space: z.object({ id: nonEmpty(), secret: nonEmpty() }),
});
export type SyncKeys = z.infer<typeof SyncKeysSchema>;

/** base64 ↔ bytes with what both Node 20 and browsers have (atob/btoa), so the client needs no Buffer. */
export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
