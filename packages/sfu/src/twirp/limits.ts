import { attributesSize, MAX_ATTRIBUTES_BYTES, MAX_METADATA_BYTES, MAX_NAME_BYTES } from '../room/limits.ts';
import { TwirpError } from './twirp-error.ts';

/** Refusals for values over livekit-server's limits, as `invalid_argument` naming the limit. */
export function checkName(what: string, value: string): void {
  if (Buffer.byteLength(value) > MAX_NAME_BYTES) {
    throw new TwirpError('invalid_argument', `${what} is too long (max ${MAX_NAME_BYTES} bytes)`);
  }
}

export function checkMetadata(value: string): void {
  const bytes = Buffer.byteLength(value);
  if (bytes > MAX_METADATA_BYTES) {
    throw new TwirpError(
      'invalid_argument',
      `metadata is ${bytes} bytes; the limit is ${MAX_METADATA_BYTES} bytes`,
    );
  }
}

export function checkAttributes(attributes: Readonly<Record<string, string>>): void {
  const bytes = attributesSize(attributes);
  if (bytes > MAX_ATTRIBUTES_BYTES) {
    throw new TwirpError(
      'invalid_argument',
      `attributes total ${bytes} bytes; the limit is ${MAX_ATTRIBUTES_BYTES} bytes`,
    );
  }
}
