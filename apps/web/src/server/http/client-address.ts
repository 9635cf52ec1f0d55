import ipaddr from 'ipaddr.js';

/**
 * Which proxies in front of the app may say who the client is (`TRUST_PROXY`):
 * - unset / `false` / `0`: none; the client is the socket's peer and any X-Forwarded-For is ignored;
 * - a whole number N: the last N hops are our proxies (N = 1 behind one load balancer);
 * - a comma-separated list of addresses or CIDR ranges (`10.0.0.0/8,127.0.0.1`): hops inside them are ours.
 */
export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'ranges'; ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> };

export function parseTrustProxy(raw: string | undefined): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(false|no|0)$/i.test(value)) return { kind: 'none' };
  if (/^\d+$/.test(value)) return { kind: 'hops', hops: Number(value) };
  const ranges = value.split(',').map((entry) => {
    const text = entry.trim();
    try {
      return text.includes('/') ? ipaddr.parseCIDR(text) : rangeOfOne(ipaddr.parse(text));
    } catch {
      throw new Error(
        `TRUST_PROXY: "${text}" is not an address or CIDR range. Use a hop count (1) or a list such as 10.0.0.0/8,127.0.0.1, or unset it.`,
      );
    }
  });
  return { kind: 'ranges', ranges };
}

function rangeOfOne(address: ipaddr.IPv4 | ipaddr.IPv6): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** An address in one spelling: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, as dual-stack sockets report) as IPv4. */
export function normalizeAddress(address: string): string | null {
  const text = address.trim();
  if (!ipaddr.isValid(text)) return null;
  return ipaddr.process(text).toString();
}

function inRanges(address: string, ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>): boolean {
  const parsed = ipaddr.process(address);
  return ranges.some(([network, bits]) => {
    const candidate =
      network.kind() === 'ipv6' && parsed.kind() === 'ipv4'
        ? (parsed as ipaddr.IPv4).toIPv4MappedAddress()
        : parsed;
    return candidate.kind() === network.kind() && candidate.match(network, bits);
  });
}

/**
 * The client's address: the socket's peer, or, when that peer is a trusted proxy, the last address in
 * X-Forwarded-For that is not one of ours. Whatever a client writes in X-Forwarded-For itself sits to the
 * left of what our proxies appended, so it is never chosen over them.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trust: TrustProxy,
): string {
  const peer = normalizeAddress(socketAddress ?? '') ?? 'unknown';
  if (trust.kind === 'none') return peer;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const hops = header
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Nearest first: the peer, then what each proxy appended, right to left.
  const chain = [peer, ...hops.reverse()];
  if (trust.kind === 'hops') {
    const chosen = chain[Math.min(trust.hops, chain.length - 1)] ?? peer;
    return normalizeAddress(chosen) ?? peer;
  }
  for (let index = 0; index < chain.length; index++) {
    const address = normalizeAddress(chain[index] ?? '');
    // An entry that is not an address was not written by a proxy we trust: stop at the last good one.
    if (address === null) return normalizeAddress(chain[index - 1] ?? '') ?? peer;
    if (!inRanges(address, trust.ranges) || index === chain.length - 1) return address;
  }
  return peer;
}
