import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../src/cli/options.ts';

describe('parseCliOptions', () => {
  it('--dev uses devkey/secret on 127.0.0.1:7880 like livekit-server --dev', () => {
    const options = parseCliOptions(['--dev'], {});
    expect(options).toMatchObject({ host: '127.0.0.1', port: 7880, keys: { devkey: 'secret' } });
  });

  it('takes keys from --keys, then LIVEKIT_KEYS, then LIVEKIT_API_KEY/SECRET', () => {
    const env = { LIVEKIT_KEYS: 'envkey: envsecret', LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' };
    expect(parseCliOptions(['--keys', 'a: b, c: d'], env).keys).toEqual({ a: 'b', c: 'd' });
    expect(parseCliOptions([], env).keys).toEqual({ envkey: 'envsecret' });
    expect(parseCliOptions([], { LIVEKIT_API_KEY: 'k', LIVEKIT_API_SECRET: 's' }).keys).toEqual({ k: 's' });
    expect(parseCliOptions(['--dev'], { LIVEKIT_KEYS: 'x: y\nz: w' }).keys).toEqual({ x: 'y', z: 'w' });
  });

  it('binds every interface outside dev mode unless --bind says otherwise', () => {
    expect(parseCliOptions(['--keys', 'a: b'], {}).host).toBe('0.0.0.0');
    expect(parseCliOptions(['--keys', 'a: b', '--bind', '10.0.0.2', '--port', '9000'], {})).toMatchObject({
      host: '10.0.0.2',
      port: 9000,
    });
  });

  it('reads the webhook URL and the WebRTC port range', () => {
    const options = parseCliOptions(
      ['--dev', '--webhook-url', 'http://127.0.0.1:9/hook', '--rtc-ports', '50000-50100'],
      {},
    );
    expect(options.webhookUrl).toBe('http://127.0.0.1:9/hook');
    expect(options.rtcPorts).toEqual({ begin: 50000, end: 50100 });
  });

  it('explains bad input', () => {
    expect(() => parseCliOptions([], {})).toThrow(/no API keys.*--dev/);
    expect(() => parseCliOptions(['--dev', '--port', 'x'], {})).toThrow(/--port must be a port number/);
    expect(() => parseCliOptions(['--dev', '--webhook-url', 'ftp://x'], {})).toThrow(/--webhook-url/);
    expect(() => parseCliOptions(['--dev', '--rtc-ports', '9-1'], {})).toThrow(/--rtc-ports/);
    expect(() => parseCliOptions(['--keys', 'nocolon'], {})).toThrow(/"nocolon"/);
    expect(() => parseCliOptions(['--bogus'], {})).toThrow(/bogus/);
  });

  it('--help asks for the usage text', () => {
    expect(parseCliOptions(['--help'], {}).help).toBe(true);
  });
});
