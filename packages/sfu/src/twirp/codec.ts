import { TwirpError } from './twirp-error.ts';

/** Twirp serves the same methods as proto3 JSON and as binary protobuf; the request picks. */
export type Encoding = 'json' | 'protobuf';

/** The static side of a generated `@livekit/protocol` message class. */
export interface RequestType<T> {
  readonly typeName: string;
  fromJsonString(json: string, options?: { ignoreUnknownFields?: boolean }): T;
  fromBinary(bytes: Uint8Array): T;
}

export interface ResponseMessage {
  toJsonString(): string;
  toBinary(): Uint8Array;
}

/**
 * Reads the encoding from Content-Type, ignoring parameters: livekit-server-sdk sends
 * `application/json;charset=UTF-8`, the Go and Python SDKs `application/protobuf`.
 */
export function encodingOf(contentType: string | undefined): Encoding | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/protobuf' || type === 'application/x-protobuf') return 'protobuf';
  return undefined;
}

/**
 * Decodes a request body. JSON ignores unknown fields so newer SDKs keep working; an empty JSON body
 * is the empty message, as Twirp allows `{}`-less calls for parameterless requests.
 */
export function decodeRequest<T>(type: RequestType<T>, body: Buffer, encoding: Encoding): T {
  try {
    if (encoding === 'protobuf') return type.fromBinary(body);
    const text = body.toString('utf8');
    return type.fromJsonString(text.trim() === '' ? '{}' : text, { ignoreUnknownFields: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TwirpError(
      'malformed',
      `the ${encoding} request body could not be decoded as ${type.typeName}: ${reason}`,
    );
  }
}

export function encodeResponse(message: ResponseMessage, encoding: Encoding): Buffer {
  return encoding === 'protobuf'
    ? Buffer.from(message.toBinary())
    : Buffer.from(message.toJsonString(), 'utf8');
}

export function contentTypeFor(encoding: Encoding): string {
  return encoding === 'protobuf' ? 'application/protobuf' : 'application/json';
}
