import { parseArgs } from 'node:util';
import { type ApiKeys, parseKeys } from '../auth/keys.ts';

export const USAGE = `rhizom-sfu: a LiveKit-protocol server for data-only rooms

Usage: rhizom-sfu [--dev] [--port N] [--bind ADDR] [--keys "key: secret"] [--webhook-url URL]

  --dev                 development mode: API key "devkey", secret "secret", 127.0.0.1:7880
  --port N              HTTP/WebSocket port (default 7880)
  --bind ADDR           address to listen on (default 127.0.0.1 with --dev, else 0.0.0.0)
  --keys "k: s, ..."    API keys and secrets, livekit-server format (comma or newline separated)
  --webhook-url URL     POST signed webhooks (room_started, participant_joined, ...) to URL
  --rtc-bind ADDR       address WebRTC (UDP) binds to (default: the --bind address)
  --rtc-ports A-B       UDP port range for WebRTC (default: ephemeral ports)
  --log-level LEVEL     pino level: trace, debug, info, warn, error (default info)
  --help                show this help

Keys come from --keys, else env LIVEKIT_KEYS, else LIVEKIT_API_KEY + LIVEKIT_API_SECRET, else --dev.
`;

export interface CliOptions {
  help: boolean;
  host: string;
  port: number;
  keys: ApiKeys;
  webhookUrl: string | undefined;
  rtcBind: string | undefined;
  rtcPorts: { begin: number; end: number } | undefined;
  logLevel: string;
}

/** Reads flags and environment into server options; throws an Error whose message says what to fix. */
export function parseCliOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      dev: { type: 'boolean', default: false },
      port: { type: 'string' },
      bind: { type: 'string' },
      keys: { type: 'string' },
      'webhook-url': { type: 'string' },
      'rtc-bind': { type: 'string' },
      'rtc-ports': { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  const dev = values.dev === true;
  const empty = { help: true, host: '', port: 0, keys: {}, webhookUrl: undefined, rtcBind: undefined };
  if (values.help === true) return { ...empty, rtcPorts: undefined, logLevel: 'info' };
  return {
    help: false,
    host: values.bind ?? (dev ? '127.0.0.1' : '0.0.0.0'),
    port: parsePort(values.port ?? '7880', '--port'),
    keys: keysFrom(values.keys, env, dev),
    webhookUrl: parseWebhookUrl(values['webhook-url']),
    rtcBind: values['rtc-bind'],
    rtcPorts: values['rtc-ports'] === undefined ? undefined : parsePortRange(values['rtc-ports']),
    logLevel: values['log-level'] ?? env.LOG_LEVEL ?? 'info',
  };
}

function keysFrom(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  dev: boolean,
): ApiKeys {
  if (flag !== undefined) return parseKeys(flag);
  if (env.LIVEKIT_KEYS !== undefined && env.LIVEKIT_KEYS.trim() !== '') return parseKeys(env.LIVEKIT_KEYS);
  if (env.LIVEKIT_API_KEY && env.LIVEKIT_API_SECRET) return { [env.LIVEKIT_API_KEY]: env.LIVEKIT_API_SECRET };
  if (dev) return { devkey: 'secret' };
  throw new Error('no API keys: pass --keys "key: secret", set LIVEKIT_KEYS, or use --dev');
}

function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`${flag} must be a port number, got "${text}"`);
  return port;
}

function parsePortRange(text: string): { begin: number; end: number } {
  const match = /^(\d+)-(\d+)$/.exec(text.trim());
  const begin = match === null ? Number.NaN : parsePort(match[1] as string, '--rtc-ports');
  const end = match === null ? Number.NaN : parsePort(match[2] as string, '--rtc-ports');
  if (!(begin > 0 && end >= begin)) throw new Error(`--rtc-ports must look like 50000-60000, got "${text}"`);
  return { begin, end };
}

function parseWebhookUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`--webhook-url must be an http(s) URL, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`--webhook-url must be an http(s) URL, got "${text}"`);
  }
  return url.toString();
}
