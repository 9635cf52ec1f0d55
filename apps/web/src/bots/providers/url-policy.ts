import { hostProblem } from '../outbound/address-policy.ts';

/**
 * Whether a provider URL chosen by a bot owner may be called. The server fetches it and shows the answer
 * in the space, so a loopback or private address would let any bot owner reach internal services. This
 * check refuses literal private addresses and local names up front; the connection itself
 * (`outbound/guarded-fetch.ts`) refuses every private address a name resolves to.
 */
export function providerUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'The provider URL is not a valid URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'The provider URL must use http or https.';
  if (url.username || url.password) return 'Put the API key in the key field, not in the provider URL.';
  const problem = allowPrivate ? null : hostProblem(url.hostname);
  if (problem) {
    return `The provider URL points at ${problem} (${url.hostname}). The server operator can allow that with BOT_ALLOW_PRIVATE_URLS=true, or set BOT_PROVIDER_URL for every bot.`;
  }
  return null;
}
