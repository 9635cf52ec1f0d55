import type { ServerResponse } from 'node:http';
import { setCors } from '../http/cors.ts';

/** Twirp v7 error codes and the HTTP status each one maps to (twirp's spec table). */
const STATUS_BY_CODE = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  dataloss: 500,
} as const;

export type TwirpCode = keyof typeof STATUS_BY_CODE;

/** A RoomService failure that is answered as a Twirp JSON error. */
export class TwirpError extends Error {
  readonly code: TwirpCode;

  constructor(code: TwirpCode, message: string) {
    super(message);
    this.name = 'TwirpError';
    this.code = code;
  }

  get status(): number {
    return STATUS_BY_CODE[this.code];
  }
}

/**
 * Writes `{"code","msg"}` with `Content-Type: application/json` exactly: livekit-server-sdk compares
 * the header string and shows the raw body instead of `msg`/`code` when a charset is appended.
 */
export function writeTwirpError(res: ServerResponse, error: TwirpError): void {
  const body = JSON.stringify({ code: error.code, msg: error.message });
  setCors(res);
  res.writeHead(error.status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
