import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AuthError } from '../auth/auth-error.ts';
import type { AccessClaims } from '../auth/claims.ts';
import type { ApiKeys } from '../auth/keys.ts';
import { createTokenVerifier } from '../auth/verified-tokens.ts';
import { setCors } from '../http/cors.ts';
import { requestPath } from '../http/request-path.ts';
import type { RoomServiceBackend } from '../ports.ts';
import { contentTypeFor, decodeRequest, type Encoding, encodeResponse, encodingOf } from './codec.ts';
import { requireGrant } from './grants.ts';
import { readBody } from './read-body.ts';
import { ROOM_SERVICE_METHODS, type RoomServiceMethod, UNIMPLEMENTED_METHODS } from './room-service.ts';
import { TwirpError, writeTwirpError } from './twirp-error.ts';

const PATH = /^\/twirp\/livekit\.RoomService\/([A-Za-z]+)$/;

export interface TwirpHandlerOptions {
  backend: RoomServiceBackend;
  keys: ApiKeys;
  logger: Logger;
  /** Default: the backend's `twirpBodyBytes` limit. */
  maxBodyBytes?: number;
}

export type TwirpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

interface Call {
  name: string;
  /** Undefined for a LiveKit method this server does not offer. */
  method: RoomServiceMethod | undefined;
  encoding: Encoding;
  token: string;
}

/**
 * Serves `POST /twirp/livekit.RoomService/<Method>` as livekit-server does: a Bearer access token
 * with the method's grant, proto3 JSON or binary protobuf bodies, and Twirp JSON errors. The
 * returned promise settles once the response is written; it never rejects.
 */
export function createTwirpHandler(options: TwirpHandlerOptions): TwirpHandler {
  const { backend, keys, logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? backend.limits.twirpBodyBytes;

  const verify = createTokenVerifier(keys);

  return async (req, res) => {
    const path = requestPath(req.url);
    // Log fields, built up as the call is understood; the success path logs nothing above debug.
    const context: Record<string, unknown> = { twirp: path };
    try {
      const call = route(req, path);
      const claims = await authenticate(call.token, verify);
      context.apiKey = claims.iss;
      const { method } = call;
      if (method === undefined) {
        throw new TwirpError('unimplemented', `${call.name} is not implemented by this server`);
      }
      const request = decodeRequest(method.request, await readBody(req, maxBodyBytes), call.encoding);
      const room = method.room(request);
      if (room !== '') {
        context.room = room;
        context.participant = identityOf(request);
      }
      requireGrant(claims.video, method.grant, room);
      const body = encodeResponse(method.run(backend, request), call.encoding);
      setCors(res);
      res.writeHead(200, { 'Content-Type': contentTypeFor(call.encoding), 'Content-Length': body.length });
      res.end(body);
      if (logger.isLevelEnabled('debug')) logger.debug(context, 'room service call served');
    } catch (error) {
      const twirpError = asTwirpError(error);
      if (twirpError.status >= 500 && twirpError.code !== 'unimplemented') {
        logger.error({ ...context, err: error }, 'room service call failed');
      } else if (twirpError.code === 'not_found') {
        // SendData to a room nobody is in: the app broadcasts to every space that changed.
        logger.debug(
          { ...context, code: twirpError.code, reason: twirpError.message },
          'room service call: not found',
        );
      } else {
        logger.info(
          { ...context, code: twirpError.code, reason: twirpError.message },
          'room service call refused',
        );
      }
      if (!req.complete) res.setHeader('Connection', 'close');
      writeTwirpError(res, twirpError);
    }
  };
}

function route(req: IncomingMessage, path: string): Call {
  if (req.method !== 'POST') {
    throw new TwirpError('bad_route', `unsupported method ${req.method} (only POST is allowed)`);
  }
  const name = PATH.exec(path)?.[1] ?? '';
  const method = ROOM_SERVICE_METHODS.get(name);
  if (method === undefined && !UNIMPLEMENTED_METHODS.has(name)) {
    throw new TwirpError('bad_route', `no handler for path ${path}`);
  }
  const encoding = encodingOf(req.headers['content-type']);
  if (encoding === undefined) {
    throw new TwirpError(
      'bad_route',
      `unexpected Content-Type "${req.headers['content-type'] ?? ''}": use application/json or application/protobuf`,
    );
  }
  const header = req.headers.authorization ?? '';
  const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  if (token === '') {
    throw new TwirpError('unauthenticated', 'missing access token: send "Authorization: Bearer <token>"');
  }
  return { name, method, encoding, token };
}

async function authenticate(
  token: string,
  verify: (token: string) => Promise<AccessClaims>,
): Promise<AccessClaims> {
  try {
    return await verify(token);
  } catch (error) {
    if (error instanceof AuthError) throw new TwirpError('unauthenticated', error.message);
    throw error;
  }
}

/** The participant a request is about (GetParticipant, UpdateParticipant, …), for the log line. */
function identityOf(request: unknown): string | undefined {
  const identity = (request as { identity?: unknown }).identity;
  return typeof identity === 'string' && identity !== '' ? identity : undefined;
}

function asTwirpError(error: unknown): TwirpError {
  if (error instanceof TwirpError) return error;
  return new TwirpError('internal', 'internal server error; see the server log');
}
