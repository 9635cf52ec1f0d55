/**
 * The sealed packet's frame (protocol version 2), shared by the server that seals and the client that opens:
 *
 *   [0]            version (2)
 *   [1..2]         header length H, big-endian
 *   [3 .. 3+H)     header, JSON: { space, epoch, sig: signing key id, key: space key id, iv: base64 }
 *   [3+H .. n-64)  AES-256-GCM ciphertext of the packet's JSON, tag included; AAD = bytes [0 .. 3+H)
 *   [n-64 .. n)    Ed25519 signature over bytes [0 .. n-64)
 *
 * Encrypt-then-sign: a client checks the signature before it decrypts or parses anything it would act on,
 * and holding a space key (any member does) is not enough to forge a packet.
 */
export const PROTOCOL_VERSION = 2;
export const SIGNATURE_BYTES = 64;
export const GCM_TAG_BYTES = 16;
export const GCM_IV_BYTES = 12;
const PREFIX_BYTES = 3;

export interface SealedHeader {
  space: string;
  epoch: string;
  /** Id of the signing key whose public half verifies the signature. */
  sig: string;
  /** Id of the space key the body is encrypted with. */
  key: string;
  /** base64 of the 12-byte GCM nonce, random per packet. */
  iv: string;
}

/** Prefix (version, length, header): also the AAD of the body. */
export function encodeHead(header: SealedHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  if (json.length > 0xffff) throw new Error('sealed packet header is too long');
  const head = new Uint8Array(PREFIX_BYTES + json.length);
  head[0] = PROTOCOL_VERSION;
  head[1] = json.length >> 8;
  head[2] = json.length & 0xff;
  head.set(json, PREFIX_BYTES);
  return head;
}

/** Bytes a sealed packet adds around its plaintext, for packetize's budget. */
export function sealOverhead(head: Uint8Array): number {
  return head.length + GCM_TAG_BYTES + SIGNATURE_BYTES;
}

export type Frame =
  | {
      ok: true;
      header: SealedHeader;
      /** Everything the signature covers. */
      signed: Uint8Array<ArrayBuffer>;
      head: Uint8Array<ArrayBuffer>;
      body: Uint8Array<ArrayBuffer>;
      signature: Uint8Array<ArrayBuffer>;
    }
  | { ok: false; reason: 'version' | 'malformed'; error: string };

/** Split a received packet into its parts; checks shape only (the caller verifies before trusting any of it). */
export function splitFrame(bytes: Uint8Array): Frame {
  if (bytes.length === 0 || bytes[0] !== PROTOCOL_VERSION) {
    return {
      ok: false,
      reason: 'version',
      error: `not a version ${PROTOCOL_VERSION} sync packet (first byte ${bytes[0] ?? 'missing'})`,
    };
  }
  const copy = new Uint8Array(bytes);
  const headerLength = ((copy[1] ?? 0) << 8) | (copy[2] ?? 0);
  const bodyStart = PREFIX_BYTES + headerLength;
  if (copy.length < bodyStart + GCM_TAG_BYTES + SIGNATURE_BYTES) {
    return { ok: false, reason: 'malformed', error: 'sealed packet is shorter than its frame' };
  }
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(copy.subarray(PREFIX_BYTES, bodyStart)));
  } catch {
    return { ok: false, reason: 'malformed', error: 'sealed packet header is not JSON' };
  }
  if (!isHeader(header))
    return { ok: false, reason: 'malformed', error: 'sealed packet header is incomplete' };
  const signedEnd = copy.length - SIGNATURE_BYTES;
  return {
    ok: true,
    header,
    signed: copy.subarray(0, signedEnd),
    head: copy.subarray(0, bodyStart),
    body: copy.subarray(bodyStart, signedEnd),
    signature: copy.subarray(signedEnd),
  };
}

function isHeader(value: unknown): value is SealedHeader {
  if (typeof value !== 'object' || value === null) return false;
  const header = value as Record<string, unknown>;
  return ['space', 'epoch', 'sig', 'key', 'iv'].every(
    (field) => typeof header[field] === 'string' && (header[field] as string).length > 0,
  );
}
