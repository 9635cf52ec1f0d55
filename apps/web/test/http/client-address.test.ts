import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustProxy } from '../../src/server/http/client-address.ts';

describe('client address', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const none = parseTrustProxy(undefined);
    expect(clientAddress('203.0.113.7', '1.2.3.4', none)).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7', '1.2.3.4, 5.6.7.8', none)).toBe('203.0.113.7');
    expect(clientAddress('2001:db8::1', undefined, parseTrustProxy('false'))).toBe('2001:db8::1');
  });

  it('with a hop count, skips exactly that many proxies from the right', () => {
    const one = parseTrustProxy('1');
    // The client wrote "6.6.6.6"; our one proxy appended the address it saw.
    expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.9', one)).toBe('198.51.100.9');
    expect(clientAddress('10.0.0.2', undefined, one)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '198.51.100.9', parseTrustProxy('5'))).toBe('198.51.100.9');
  });

  it('with ranges, returns the nearest address that is not one of our proxies', () => {
    const ours = parseTrustProxy('10.0.0.0/8, 127.0.0.1, fd00::/8');
    expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.9, 10.1.1.1', ours)).toBe('198.51.100.9');
    expect(clientAddress('::ffff:127.0.0.1', '198.51.100.9', ours)).toBe('198.51.100.9');
    // A peer outside the ranges is the client, even if it sends a header.
    expect(clientAddress('203.0.113.7', '198.51.100.9', ours)).toBe('203.0.113.7');
    // Garbage where a proxy would have written an address: stop at the last trusted hop.
    expect(clientAddress('10.0.0.2', 'not-an-ip', ours)).toBe('10.0.0.2');
  });

  it('refuses a TRUST_PROXY it cannot read', () => {
    expect(() => parseTrustProxy('10.0.0.0/8, proxy.example')).toThrow(/TRUST_PROXY: "proxy.example"/);
  });
});
