import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { ApiKeys } from '../auth/keys.ts';

/** Which key signs webhooks: one pair, or the server's key set (`apiKey` picks, else the first). */
export type WebhookKeys = { apiKey: string; apiSecret: string } | ReadonlyMap<string, string> | ApiKeys;

export interface SigningKey {
  apiKey: string;
  apiSecret: string;
}

/** livekit-server signs webhooks with a token valid for 5 minutes. */
const TOKEN_TTL_SECONDS = 5 * 60;

function isPair(keys: WebhookKeys): keys is SigningKey {
  const pair = keys as Partial<Record<keyof SigningKey, unknown>>;
  return !(keys instanceof Map) && typeof pair.apiKey === 'string' && typeof pair.apiSecret === 'string';
}

export function signingKey(keys: WebhookKeys, apiKey?: string): SigningKey {
  if (isPair(keys)) return { apiKey: keys.apiKey, apiSecret: keys.apiSecret };
  const entries = keys instanceof Map ? [...keys.entries()] : Object.entries(keys as ApiKeys);
  const entry = apiKey === undefined ? entries[0] : entries.find(([key]) => key === apiKey);
  if (entry === undefined) {
    throw new Error(
      apiKey === undefined
        ? 'webhooks need an API key to sign with: configure at least one key'
        : `webhook API key "${apiKey}" is not among the configured keys`,
    );
  }
  return { apiKey: entry[0], apiSecret: entry[1] };
}

/**
 * The `Authorization` value for a webhook body: an access token (no `Bearer ` prefix, as
 * livekit-server-sdk's WebhookReceiver expects) whose `sha256` claim is the base64 SHA-256 of the
 * exact body bytes.
 */
export async function signWebhook(body: string, key: SigningKey): Promise<string> {
  const sha256 = createHash('sha256').update(body, 'utf8').digest('base64');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sha256 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(key.apiKey)
    .setNotBefore(now)
    .setExpirationTime(now + TOKEN_TTL_SECONDS)
    .sign(new TextEncoder().encode(key.apiSecret));
}
