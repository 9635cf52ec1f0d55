import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { isPublicAddress } from './address-policy.ts';

/** Thrown (as a connection error) when a host is or resolves to an address the server may not call. */
export class PrivateAddressError extends Error {
  readonly code = 'ERR_PRIVATE_ADDRESS';

  constructor(host: string, address: string) {
    super(`${host} is or resolves to ${address}, a private or reserved address`);
    this.name = 'PrivateAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * DNS lookup for outbound sockets that refuses the connection unless every address the name resolves to
 * is public. It runs at connect time, for the very addresses the socket will use, so a name that resolves
 * to a public address when the URL is checked and to a private one later (DNS rebinding) is still refused.
 */
function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const refused = addresses.find((entry) => !isPublicAddress(entry.address));
    if (refused) return callback(new PrivateAddressError(hostname, refused.address), []);
    const [first] = addresses;
    if (options.all || !first) return callback(null, addresses);
    callback(null, first.address, first.family);
  });
}

function createPublicOnlyAgent(): Agent {
  const connect = buildConnector({ lookup: publicOnlyLookup as never });
  return new Agent({
    connect(options, callback) {
      // Literal addresses never reach a lookup: check them here.
      const host = options.hostname.replace(/^\[|\]$/g, '');
      if (isIP(host) && !isPublicAddress(host)) {
        callback(new PrivateAddressError(host, host), null);
        return;
      }
      connect(options, callback);
    },
  });
}

let agent: Agent | undefined;

/**
 * `fetch` that only connects to public addresses (checked per connection, after DNS), for URLs that
 * someone other than the operator chose. Redirects are refused, so one cannot lead elsewhere either.
 */
export const publicOnlyFetch: typeof fetch = (input, init) => {
  agent ??= createPublicOnlyAgent();
  return undiciFetch(input as Parameters<typeof undiciFetch>[0], {
    ...(init as Parameters<typeof undiciFetch>[1]),
    redirect: 'error',
    dispatcher: agent,
  }) as unknown as Promise<Response>;
};
