/**
 * The sizes livekit-server enforces, in one place. A server takes them from startSfu's `limits`
 * (defaults below), so every check reads the same numbers and tests can use small ones.
 */
export interface SfuLimits {
  /** Participant and room metadata (livekit-server: 512 KiB). */
  metadataBytes: number;
  /** A participant's attributes, keys and values together (64 KiB). */
  attributesBytes: number;
  /** Participant names, identities and room names (256 bytes). */
  nameBytes: number;
  /** One data packet: livekit-server reads into a 65,535-byte buffer and closes the channel above it. */
  dataPacketBytes: number;
  /** One signal WebSocket message (2 MiB). */
  signalMessageBytes: number;
  /** A v1 join request after decompression (1 MiB). */
  joinRequestBytes: number;
  /** A Twirp request body: metadata may be 512 KiB and arrives JSON-escaped (2 MiB). */
  twirpBodyBytes: number;
}

export const DEFAULT_LIMITS: Readonly<SfuLimits> = {
  metadataBytes: 512 * 1024,
  attributesBytes: 64 * 1024,
  nameBytes: 256,
  dataPacketBytes: 65_535,
  signalMessageBytes: 2 * 1024 * 1024,
  joinRequestBytes: 1 << 20,
  twirpBodyBytes: 2 * 1024 * 1024,
};

export function attributesSize(attributes: Readonly<Record<string, string>>): number {
  let size = 0;
  for (const [key, value] of Object.entries(attributes))
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  return size;
}
