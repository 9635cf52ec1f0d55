/** API key → secret, the way livekit-server is configured. */
export type ApiKeys = Readonly<Record<string, string>>;

/**
 * Parses livekit-server's key format: `key1: secret1, key2: secret2` or one `key: secret` per line.
 * Throws with a message naming the bad entry so the operator can fix the flag or env variable.
 */
export function parseKeys(text: string): ApiKeys {
  const keys: Record<string, string> = {};
  for (const entry of text.split(/[\n,]/)) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const colon = trimmed.indexOf(':');
    const key = colon < 0 ? '' : trimmed.slice(0, colon).trim();
    const secret = colon < 0 ? '' : trimmed.slice(colon + 1).trim();
    if (key === '' || secret === '') {
      throw new Error(`invalid API key entry "${trimmed}": expected "key: secret"`);
    }
    keys[key] = secret;
  }
  if (Object.keys(keys).length === 0) throw new Error('no API keys given: expected "key: secret"');
  return keys;
}

export function secretFor(keys: ApiKeys, apiKey: string): string | undefined {
  return Object.hasOwn(keys, apiKey) ? keys[apiKey] : undefined;
}
