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
 * comes first: nothing of a packet is decrypted or parsed for use before its signature checks out against a
 * signing key the app's API handed out. Then the body is decrypted with the space key its header names.
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
    if (!(await crypto.subtle.verify({ name: 'Ed25519' }, verifier, frame.signature, frame.signed))) {
      return { ok: false, reason: 'bad-signature', error: `signature does not verify with ${header.sig}` };
    }
    const secret = this.spaceKeys.get(header.key);
    if (!secret) {
      return { ok: false, reason: 'unknown-space-key', error: `space key ${header.key} is not held` };
    }
    try {
      const plaintext = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(header.iv), additionalData: frame.head },
        secret,
        frame.body,
      );
      return { ok: true, epoch: header.epoch, plaintext: new Uint8Array(plaintext) };
    } catch {
      return { ok: false, reason: 'bad-ciphertext', error: `body does not decrypt with ${header.key}` };
    }
  }
}
