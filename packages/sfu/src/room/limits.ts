/** livekit-server's limits on what participants and the API may set. */
export const MAX_METADATA_BYTES = 512 * 1024;
export const MAX_ATTRIBUTES_BYTES = 64 * 1024;
export const MAX_NAME_BYTES = 256;
/** livekit-server reads data messages into a 65,535-byte buffer and closes the channel above it. */
export const MAX_DATA_PACKET_BYTES = 65_535;

export function attributesSize(attributes: Readonly<Record<string, string>>): number {
  let size = 0;
  for (const [key, value] of Object.entries(attributes))
    size += Buffer.byteLength(key) + Buffer.byteLength(value);
  return size;
}

/** Merges attribute changes: an empty value deletes the key. */
export function mergeAttributes(
  current: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string>>,
): Record<string, string> {
  const merged: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === '') delete merged[key];
    else merged[key] = value;
  }
  return merged;
}
