import { attributesSize, type SfuLimits } from '../limits.ts';
import { TwirpError } from './twirp-error.ts';

/** Refusals for values over the server's limits, as `invalid_argument` naming the limit. */
export function checkName(what: string, value: string, limits: SfuLimits): void {
  if (Buffer.byteLength(value) > limits.nameBytes) {
    throw new TwirpError('invalid_argument', `${what} is too long (max ${limits.nameBytes} bytes)`);
  }
}

export function checkMetadata(value: string, limits: SfuLimits): void {
  const bytes = Buffer.byteLength(value);
  if (bytes > limits.metadataBytes) {
    throw new TwirpError(
      'invalid_argument',
      `metadata is ${bytes} bytes; the limit is ${limits.metadataBytes} bytes`,
    );
  }
}

export function checkAttributes(attributes: Readonly<Record<string, string>>, limits: SfuLimits): void {
  const bytes = attributesSize(attributes);
  if (bytes > limits.attributesBytes) {
    throw new TwirpError(
      'invalid_argument',
      `attributes total ${bytes} bytes; the limit is ${limits.attributesBytes} bytes`,
    );
  }
}
