import { createCipheriv, type KeyObject, randomBytes, sign } from 'node:crypto';
import { encodeHead, GCM_IV_BYTES, sealOverhead } from './envelope.ts';

/** The server's half of a signing key: Ed25519, with the id clients look its public half up by. */
export interface SigningKey {
  id: string;
  privateKey: KeyObject;
}

/** A space's current sealing key (AES-256-GCM). */
export interface SpaceKey {
  id: string;
  secret: Uint8Array;
}

export interface PacketSealer {
  /** Bytes sealing adds to a plaintext of this space, epoch and keys: what packetize must leave free. */
  overhead: number;
  seal(plaintext: Uint8Array): Uint8Array;
}

/**
 * Seals packets of one space and epoch: encrypt with the space key (AAD = the header), then sign everything
 * with the deployment's signing key. Once per packet, whatever the number of recipients. Node only.
 */
export function packetSealer(
  head: { space: string; epoch: string },
  keys: { signing: SigningKey; space: SpaceKey },
): PacketSealer {
  // The header's length does not depend on the nonce (always 16 base64 characters), so the overhead is exact.
  const sample = encodeHead({ ...head, sig: keys.signing.id, key: keys.space.id, iv: 'A'.repeat(16) });
  return {
    overhead: sealOverhead(sample),
    seal(plaintext) {
      const iv = randomBytes(GCM_IV_BYTES);
      const prefix = encodeHead({
        ...head,
        sig: keys.signing.id,
        key: keys.space.id,
        iv: iv.toString('base64'),
      });
      const cipher = createCipheriv('aes-256-gcm', keys.space.secret, iv);
      cipher.setAAD(prefix);
      const signed = Buffer.concat([prefix, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return Buffer.concat([signed, sign(null, signed, keys.signing.privateKey)]);
    },
  };
}
