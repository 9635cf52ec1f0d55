import { splitFrame } from './envelope.ts';
import { fromBase64, type SyncKeys } from './keys.ts';

export type OpenFailure =
  | 'version'
  | 'malformed'
  | 'other-space'
  | 'unknown-signing-key'
  | 'bad-signature'
  | 'unknown-space-key'
  | 'bad-ciphertext';

export type OpenResult =
  | { ok: true; epoch: string; plaintext: Uint8Array }
  | { ok: false; reason: OpenFailure; error: string };

/** Space keys kept after a rotation, for packets sealed just before it that are still on their way. */
const KEPT_SPACE_KEYS = 4;

/**
 * Opens sealed packets of one space in the client (WebCrypto: browsers and Node 20 alike). Verification
 * comes first: nothing of a packet is used, its plaintext not even parsed, before its signature checks out
 * against a signing key the app's API handed out. The body is decrypted, with the space key its header names,
 * alongside the verification, and its result is dropped unless the signature verified.
 */
export class PacketOpener {
  private signing = new Map<string, CryptoKey>();
  private readonly spaceKeys = new Map<string, CryptoKey>();
  private importing: Promise<void> = Promise.resolve();

  constructor(readonly space: string) {}

  /** Take the keys of an API answer. Signing keys are replaced (retired ones go); space keys accumulate. */
  setKeys(keys: SyncKeys): Promise<void> {
    this.importing = this.importing.then(async () => {
      const signing = new Map<string, CryptoKey>();
      for (const key of keys.signing) {
        signing.set(
          key.id,
          this.signing.get(key.id) ??
            (await crypto.subtle.importKey('raw', fromBase64(key.publicKey), { name: 'Ed25519' }, false, [
              'verify',
            ])),
        );
      }
      this.signing = signing;
      if (!this.spaceKeys.has(keys.space.id)) {
        const secret = await crypto.subtle.importKey(
          'raw',
          fromBase64(keys.space.secret),
          { name: 'AES-GCM' },
          false,
          ['decrypt'],
        );
        this.spaceKeys.set(keys.space.id, secret);
        for (const id of [...this.spaceKeys.keys()].slice(0, -KEPT_SPACE_KEYS)) this.spaceKeys.delete(id);
      }
    });
    return this.importing;
  }

  get hasKeys(): boolean {
    return this.signing.size > 0 && this.spaceKeys.size > 0;
  }

  async open(bytes: Uint8Array): Promise<OpenResult> {
    await this.importing;
    const frame = splitFrame(bytes);
    if (!frame.ok) return frame;
    const { header } = frame;
    if (header.space !== this.space) {
      return { ok: false, reason: 'other-space', error: `packet of ${header.space}` };
    }
    const verifier = this.signing.get(header.sig);
    if (!verifier) {
      return { ok: false, reason: 'unknown-signing-key', error: `signing key ${header.sig} is not known` };
    }
    // Verify and decrypt start together (one wait for both, not two in a row: each WebCrypto call is a
    // round trip through a worker thread), but nothing is acted on, nor the plaintext even parsed, unless
    // the signature verified: a packet that fails it is bad-signature whatever else is wrong with it. GCM
    // authenticates the body on its own, so decrypting an unverified one reveals nothing to anyone.
    const secret = this.spaceKeys.get(header.key);
    const [verified, plaintext] = await Promise.all([
      crypto.subtle.verify({ name: 'Ed25519' }, verifier, frame.signature, frame.signed),
      secret ? decrypt(secret, header.iv, frame.head, frame.body) : null,
    ]);
    if (!verified) {
      return { ok: false, reason: 'bad-signature', error: `signature does not verify with ${header.sig}` };
    }
    if (!secret) {
      return { ok: false, reason: 'unknown-space-key', error: `space key ${header.key} is not held` };
    }
    if (!plaintext) {
      return { ok: false, reason: 'bad-ciphertext', error: `body does not decrypt with ${header.key}` };
    }
    return { ok: true, epoch: header.epoch, plaintext };
  }
}

/** AES-256-GCM open of a body with its header as AAD; null if it does not decrypt (or the nonce is no base64). */
async function decrypt(
  secret: CryptoKey,
  iv: string,
  head: Uint8Array<ArrayBuffer>,
  body: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array | null> {
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(iv), additionalData: head },
      secret,
      body,
    );
    return new Uint8Array(plaintext);
  } catch {
    return null;
  }
}
