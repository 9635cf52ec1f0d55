import ipaddr from 'ipaddr.js';

/**
 * Which network addresses the server may call on behalf of a bot owner: only public unicast ones.
 * Classification is ipaddr.js's (every IPv6 spelling, the IANA special-purpose ranges); IPv6 forms that
 * carry an IPv4 address (mapped, translated, NAT64) are judged by that IPv4 address.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() === 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') {
    return isPublicAddress(embeddedIPv4(v6).toString());
  }
  // Global unicast is 2000::/3; anything else called "unicast" (IPv4-compatible ::a.b.c.d, unassigned
  // space) is refused.
  return range === 'unicast' && v6.match(globalUnicast);
}

const globalUnicast = ipaddr.IPv6.parseCIDR('2000::/3');

function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 {
  const bytes = address.toByteArray();
  return new ipaddr.IPv4(bytes.slice(12, 16));
}

/** Names that only mean something inside a network (and single labels, which search domains complete). */
export function isInternalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (!name.includes('.')) return true;
  return ['.localhost', '.local', '.internal', '.home.arpa', '.lan', '.intranet', '.corp'].some((suffix) =>
    name.endsWith(suffix),
  );
}

/** A URL's hostname (brackets and trailing dots removed) as an address, or null when it is a name. */
export function literalAddress(hostname: string): string | null {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.+$/, '');
  return ipaddr.isValid(host) ? host : null;
}

/**
 * Why a host may not be called (a short, fixed reason), or null when it may. A name passes here and is
 * checked again on every connection, against each address it resolves to (`guarded-fetch.ts`).
 */
export function hostProblem(hostname: string): string | null {
  const literal = literalAddress(hostname);
  if (literal !== null) return isPublicAddress(literal) ? null : 'a private or reserved address';
  return isInternalName(hostname) ? 'a local network name' : null;
}
