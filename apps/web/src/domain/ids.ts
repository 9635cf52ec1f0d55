import { randomBytes, randomUUID } from 'node:crypto';

export { BEING_ID_PATTERN, BEING_ID_RULE } from './being-id-rule.ts';

import { BEING_ID_PATTERN } from './being-id-rule.ts';

export function isBeingId(value: string): boolean {
  return BEING_ID_PATTERN.test(value);
}

/** A readable id from a display name: "Café Chat!" → "@cafe-chat". Short names get a fallback. */
export function slugFromName(name: string, fallback: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/g, '');
  return `@${slug.length >= 2 ? slug : fallback}`;
}

/** The next candidate when `base` is taken: a short random suffix keeps ids readable and unguessable. */
export function withSuffix(base: string): string {
  return `${base}-${randomBytes(3).toString('hex')}`;
}

/**
 * An id derived for a being born private (a private space, anything created inside one): 48 random bits,
 * so neither its name nor a guess finds it, and "taken" can only confirm an id the asker already knows.
 */
export function withSecretSuffix(base: string): string {
  return `${base}-${randomBytes(6).toString('hex')}`;
}

export function newIntentionId(): string {
  return randomUUID();
}
