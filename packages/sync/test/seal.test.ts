import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodePacket } from '../src/packet.ts';
import { encodeHead } from '../src/seal/envelope.ts';
import { type SyncKeys, toBase64 } from '../src/seal/keys.ts';
import { PacketOpener } from '../src/seal/packet-opener.ts';
import { packetSealer, type SigningKey, type SpaceKey } from '../src/seal/seal-packet.ts';
import { packetize } from '../src/server/packetize.ts';
import { posted } from './support/fixtures.ts';

/** Sealing and opening without a database: what a forger, a tamperer or a holder of an old key can do. */
function signingKey(id: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x ?? '';
  return {
    key: { id, privateKey } satisfies SigningKey,
    published: { id, publicKey: Buffer.from(x, 'base64url').toString('base64') },
  };
}
const spaceKey = (id: string): SpaceKey => ({ id, secret: randomBytes(32) });
const keysFor = (signing: ReturnType<typeof signingKey>, space: SpaceKey): SyncKeys => ({
  signing: [signing.published],
  space: { id: space.id, secret: toBase64(space.secret) },
});
const event = { ...posted('@s', 'm1', 'a secret'), epoch: 'e1', seq: 1, at: new Date(0).toISOString() };
const plaintext = () => {
  const [packet] = packetize('@s', 'e1', [event as never]);
  if (!packet) throw new Error('no packet');
  return packet.bytes;
};

describe('sealed packets', () => {
  const app = signingKey('sk_app');
  const k1 = spaceKey('k_1');

  it('opens what the app sealed: signed, encrypted, nothing readable on the wire', async () => {
    const sealed = packetSealer({ space: '@s', epoch: 'e1' }, { signing: app.key, space: k1 }).seal(
      plaintext(),
    );
    expect(Buffer.from(sealed).toString('utf8')).not.toContain('a secret');
    const opener = new PacketOpener('@s');
    await opener.setKeys(keysFor(app, k1));
    const opened = await opener.open(sealed);
    expect(opened.ok).toBe(true);
    const decoded = opened.ok ? decodePacket(opened.plaintext) : null;
    expect(decoded?.ok && decoded.packet.events.map((e) => e.seq)).toEqual([1]);
  });

  it('refuses a packet signed by anyone else, a tampered one, one of another space and version 1', async () => {
    const opener = new PacketOpener('@s');
    await opener.setKeys(keysFor(app, k1));
    // A forger who knows the space key (a member) and names the app's key id, but signs with its own key.
    const forger = {
      ...signingKey('sk_app'),
      key: { id: 'sk_app', privateKey: signingKey('x').key.privateKey },
    };
    const forged = packetSealer({ space: '@s', epoch: 'e1' }, { signing: forger.key, space: k1 }).seal(
      plaintext(),
    );
    expect(await opener.open(forged)).toMatchObject({ ok: false, reason: 'bad-signature' });

    const sealed = packetSealer({ space: '@s', epoch: 'e1' }, { signing: app.key, space: k1 }).seal(
      plaintext(),
    );
    const tampered = new Uint8Array(sealed);
    tampered[tampered.length - 80] = (tampered[tampered.length - 80] ?? 0) ^ 1;
    expect(await opener.open(tampered)).toMatchObject({ ok: false, reason: 'bad-signature' });

    const elsewhere = packetSealer({ space: '@t', epoch: 'e1' }, { signing: app.key, space: k1 }).seal(
      plaintext(),
    );
    expect(await opener.open(elsewhere)).toMatchObject({ ok: false, reason: 'other-space' });

    expect(await opener.open(plaintext())).toMatchObject({ ok: false, reason: 'version' });
    expect(await opener.open(new Uint8Array([2, 0, 200, 1, 2, 3]))).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const unsigned = encodeHead({
      space: '@s',
      epoch: 'e1',
      sig: 'sk_app',
      key: 'k_1',
      iv: 'AAAAAAAAAAAAAAAA',
    });
    expect(await opener.open(new Uint8Array([...unsigned, ...new Uint8Array(80)]))).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('reports a bad signature first, whatever else is wrong: a body that does not decrypt, a space key it lacks', async () => {
    const opener = new PacketOpener('@s');
    await opener.setKeys(keysFor(app, k1));
    const forger = signingKey('x');
    // Signed by someone else and encrypted under a secret no member holds, labelled with the held key's id.
    const garbled = packetSealer(
      { space: '@s', epoch: 'e1' },
      {
        signing: { id: 'sk_app', privateKey: forger.key.privateKey },
        space: { id: 'k_1', secret: randomBytes(32) },
      },
    ).seal(plaintext());
    expect(await opener.open(garbled)).toMatchObject({ ok: false, reason: 'bad-signature' });
    // The same with its nonce no base64 at all: still nothing but the signature speaks.
    const badNonce = encodeHead({ space: '@s', epoch: 'e1', sig: 'sk_app', key: 'k_1', iv: '!' });
    expect(await opener.open(new Uint8Array([...badNonce, ...randomBytes(80)]))).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
    // A forged packet naming a space key nobody holds must not pass for a rotation (which fetches keys).
    const unknownKey = packetSealer(
      { space: '@s', epoch: 'e1' },
      { signing: { id: 'sk_app', privateKey: forger.key.privateKey }, space: spaceKey('k_9') },
    ).seal(plaintext());
    expect(await opener.open(unknownKey)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('names the key it lacks: an unknown signing key, or a space key rotated away from it', async () => {
    const opener = new PacketOpener('@s');
    await opener.setKeys(keysFor(app, k1));
    const rotated = signingKey('sk_new');
    const byNewKey = packetSealer({ space: '@s', epoch: 'e1' }, { signing: rotated.key, space: k1 }).seal(
      plaintext(),
    );
    expect(await opener.open(byNewKey)).toMatchObject({ ok: false, reason: 'unknown-signing-key' });

    const k2 = spaceKey('k_2');
    const underK2 = packetSealer({ space: '@s', epoch: 'e1' }, { signing: app.key, space: k2 }).seal(
      plaintext(),
    );
    expect(await opener.open(underK2)).toMatchObject({ ok: false, reason: 'unknown-space-key' });
    // A packet claiming k_1's id but encrypted under another secret is authentic only if the app signed it,
    // and then it still does not open.
    const mislabelled = packetSealer(
      { space: '@s', epoch: 'e1' },
      { signing: app.key, space: { id: 'k_1', secret: k2.secret } },
    ).seal(plaintext());
    expect(await opener.open(mislabelled)).toMatchObject({ ok: false, reason: 'bad-ciphertext' });

    await opener.setKeys(keysFor(app, k2));
    expect((await opener.open(underK2)).ok).toBe(true);
    // The previous space key is kept for packets sealed just before a rotation.
    const underK1 = packetSealer({ space: '@s', epoch: 'e1' }, { signing: app.key, space: k1 }).seal(
      plaintext(),
    );
    expect((await opener.open(underK1)).ok).toBe(true);
  });

  it('a retired signing key stops verifying as soon as an answer brings the key set without it', async () => {
    const opener = new PacketOpener('@s');
    await opener.setKeys(keysFor(app, k1));
    const byOld = () =>
      packetSealer({ space: '@s', epoch: 'e1' }, { signing: app.key, space: k1 }).seal(plaintext());
    expect((await opener.open(byOld())).ok).toBe(true);
    // Rotated with --now: the answer's list holds only the new key. Whoever kept the old private key
    // (it leaked) can sign no longer.
    const next = signingKey('sk_next');
    await opener.setKeys(keysFor(next, k1));
    expect(await opener.open(byOld())).toMatchObject({ ok: false, reason: 'unknown-signing-key' });
    const byNext = packetSealer({ space: '@s', epoch: 'e1' }, { signing: next.key, space: k1 }).seal(
      plaintext(),
    );
    expect((await opener.open(byNext)).ok).toBe(true);
  });

  it('fits the 60,000-byte budget once sealed', () => {
    const sealer = packetSealer({ space: '@s', epoch: 'e1' }, { signing: app.key, space: k1 });
    const big = Array.from({ length: 30 }, (_, i) => ({
      ...posted('@s', `m${i}`, 'x'.repeat(5_000)),
      epoch: 'e1',
      seq: i + 1,
      at: new Date(0).toISOString(),
    }));
    const packets = packetize('@s', 'e1', big as never, 60_000 - sealer.overhead);
    for (const packet of packets) expect(sealer.seal(packet.bytes).length).toBeLessThanOrEqual(60_000);
  });
});
