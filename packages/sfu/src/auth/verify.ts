import { decodeJwt, errors, jwtVerify } from 'jose';
import { AuthError } from './auth-error.ts';
import type { AccessClaims, VideoClaims } from './claims.ts';
import { type ApiKeys, secretFor } from './keys.ts';

/** livekit-server allows 60 s of clock skew on exp/nbf. */
export const LEEWAY_SECONDS = 60;

const encoder = new TextEncoder();

/**
 * Verifies a LiveKit access token (HS256 with the secret of its `iss` key, `exp` required, exp/nbf
 * with leeway) and returns its claims. Throws AuthError(401) for any bad or unknown token.
 */
export async function verifyAccessToken(
  token: string,
  keys: ApiKeys,
  leewaySeconds = LEEWAY_SECONDS,
): Promise<AccessClaims> {
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    throw new AuthError(401, 'invalid token: not a JWT');
  }
  if (typeof issuer !== 'string' || issuer === '') throw new AuthError(401, 'invalid token: missing iss');
  const secret = secretFor(keys, issuer);
  if (secret === undefined) throw new AuthError(401, 'invalid API key');

  let payload: Record<string, unknown>;
  try {
    const verified = await jwtVerify(token, encoder.encode(secret), {
      algorithms: ['HS256'],
      issuer,
      requiredClaims: ['exp'],
      clockTolerance: leewaySeconds,
    });
    payload = verified.payload as Record<string, unknown>;
  } catch (error) {
    throw new AuthError(401, `invalid token: ${describeJoseError(error)}`);
  }
  return claimsFromPayload(issuer, payload);
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token is expired';
  if (error instanceof errors.JWTClaimValidationFailed) return error.message;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'only HS256 tokens are accepted';
  return error instanceof Error ? error.message : String(error);
}

function claimsFromPayload(iss: string, payload: Record<string, unknown>): AccessClaims {
  const sub = typeof payload.sub === 'string' ? payload.sub : '';
  const jti = typeof payload.jti === 'string' ? payload.jti : '';
  const video = isRecord(payload.video) ? (payload.video as VideoClaims) : {};
  return {
    iss,
    identity: sub !== '' ? sub : jti,
    exp: payload.exp as number,
    nbf: typeof payload.nbf === 'number' ? payload.nbf : undefined,
    name: stringOrUndefined(payload.name),
    metadata: stringOrUndefined(payload.metadata),
    attributes: isRecord(payload.attributes) ? stringRecord(payload.attributes) : undefined,
    kind: stringOrUndefined(payload.kind),
    sha256: stringOrUndefined(payload.sha256),
    roomConfig: payload.roomConfig,
    video,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function stringRecord(value: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') out[key] = item;
  return out;
}
