import { gunzipSync } from 'node:zlib';
import { JoinRequest, WrappedJoinRequest, WrappedJoinRequest_Compression } from '@livekit/protocol';
import { HttpError } from '../http/http-error.ts';

/**
 * Decodes the v1 `join_request` query parameter: base64 (either alphabet) of a WrappedJoinRequest
 * whose payload is a JoinRequest, gzipped when the wrapper says so. Throws HttpError(400).
 */
export function decodeJoinRequest(param: string, maxBytes: number): JoinRequest {
  const wrapped = Buffer.from(param, 'base64');
  let wrapper: WrappedJoinRequest;
  try {
    wrapper = WrappedJoinRequest.fromBinary(wrapped);
  } catch (error) {
    throw new HttpError(400, `cannot decode join_request: ${(error as Error).message}`);
  }
  let bytes: Uint8Array = wrapper.joinRequest;
  if (wrapper.compression === WrappedJoinRequest_Compression.GZIP) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const tooLarge = (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new HttpError(400, tooLarge ? 'join request too large' : 'cannot decompress join_request');
    }
  } else if (wrapper.compression !== WrappedJoinRequest_Compression.NONE) {
    throw new HttpError(400, `unsupported join_request compression ${wrapper.compression}`);
  }
  if (bytes.byteLength > maxBytes) throw new HttpError(400, 'join request too large');
  try {
    return JoinRequest.fromBinary(bytes);
  } catch (error) {
    throw new HttpError(400, `cannot decode join_request: ${(error as Error).message}`);
  }
}
