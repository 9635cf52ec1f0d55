import { isIP } from 'node:net';

/**
 * Whether a provider URL chosen by a bot owner may be called. The server fetches it and shows the answer
 * to the owner, so a loopback or private address would let any bot owner read internal services.
 * Literal addresses and `localhost` are checked; a public name that resolves to a private address is not
 * (operators who need strict isolation should also filter egress).
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
  if (!allowPrivate && isPrivateHost(url.hostname)) {
    return `The provider URL points at a private address (${url.hostname}). The server operator can allow that with BOT_ALLOW_PRIVATE_URLS=true, or set BOT_PROVIDER_URL for every bot.`;
  }
  return null;
}

export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    host.endsWith('.internal')
  ) {
    return true;
  }
  const version = isIP(host);
  if (version === 4) return isPrivateIPv4(host);
  if (version === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host);
    if (mapped?.[1]) return isPrivateIPv4(mapped[1]);
    return host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  }
  return false;
}

function isPrivateIPv4(host: string): boolean {
  const [a = 0, b = 0] = host.split('.').map(Number);
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168)
  );
}
