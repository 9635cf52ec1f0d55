import { describe, expect, it } from 'vitest';
import { defaultBotEnv } from '../../src/bots/env.ts';
import { ConfigError, configFromEnv } from '../../src/server/config.ts';
import { defaultBodyLimits } from '../../src/server/http/body-limit.ts';

/** A secret given, so parsing writes no `auth-secret` file. */
const parse = (vars: Record<string, string> = {}) =>
  configFromEnv({ BETTER_AUTH_SECRET: 's', ...vars }, '/tmp/rhizom-config-test');

describe('the app configuration', () => {
  it('has every default when nothing is set', () => {
    const config = parse();
    expect(config.livekit).toBeUndefined();
    expect(config.syncRetention).toEqual({ retentionMs: undefined, retentionEvents: undefined });
    expect(config.bots).toEqual(defaultBotEnv);
    expect(config.http).toEqual({ trustProxy: { kind: 'none' }, bodyLimits: defaultBodyLimits });
    expect(config.logLevel).toBeUndefined();
    expect(config.dataDir).toBe('/tmp/rhizom-config-test/.data');
  });

  it('reads LiveKit, sync retention, bots, HTTP and the log level from their variables', () => {
    const config = parse({
      LIVEKIT_URL: 'ws://127.0.0.1:7880',
      LIVEKIT_PUBLIC_URL: 'wss://live.example',
      LIVEKIT_API_KEY: 'key',
      LIVEKIT_API_SECRET: 'secret',
      LIVEKIT_TOKEN_TTL_SECONDS: '600',
      SYNC_RETENTION_MS: '60000',
      SYNC_RETENTION_EVENTS: '50',
      BOT_MODEL: 'm',
      BOT_ALLOW_PRIVATE_URLS: 'yes',
      TRUST_PROXY: '1',
      BODY_LIMIT_TRPC: '2048',
      LOG_LEVEL: 'debug',
    });
    expect(config.livekit).toEqual({
      url: 'ws://127.0.0.1:7880',
      publicUrl: 'wss://live.example',
      apiKey: 'key',
      apiSecret: 'secret',
      tokenTtlSeconds: 600,
    });
    expect(config.syncRetention).toEqual({ retentionMs: 60_000, retentionEvents: 50 });
    expect(config.bots).toMatchObject({ model: 'm', allowPrivateUrls: true });
    expect(config.http.trustProxy).toEqual({ kind: 'hops', hops: 1 });
    expect(config.http.bodyLimits.trpc).toBe(2048);
    expect(config.logLevel).toBe('debug');
  });

  it('refuses a mistyped number instead of passing NaN on, naming the variable', () => {
    expect(() => parse({ SYNC_RETENTION_MS: '12O000' })).toThrow(
      'SYNC_RETENTION_MS must be a positive whole number, got "12O000".',
    );
    expect(() =>
      parse({
        LIVEKIT_URL: 'ws://x',
        LIVEKIT_API_KEY: 'k',
        LIVEKIT_API_SECRET: 's',
        LIVEKIT_TOKEN_TTL_SECONDS: '1h',
      }),
    ).toThrow(ConfigError);
  });

  it('names every wrong variable at once', () => {
    let message = '';
    try {
      parse({
        LOG_LEVEL: 'verbose',
        SYNC_RETENTION_EVENTS: '-1',
        BOT_PROVIDER_URL: 'openrouter',
        TRUST_PROXY: 'x',
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^The configuration is invalid/);
    expect(message).toContain('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.');
    expect(message).toContain('SYNC_RETENTION_EVENTS must be a positive whole number, got "-1".');
    expect(message).toContain('BOT_PROVIDER_URL must be a URL');
    expect(message).toContain('TRUST_PROXY "x" is not an address or CIDR range');
  });

  it('treats an empty variable as unset', () => {
    expect(parse({ DATABASE_URL: '', LIVEKIT_URL: '', BOT_CONCURRENCY: '' })).toMatchObject({
      databaseUrl: undefined,
      livekit: undefined,
      bots: { concurrency: 4 },
    });
  });
});
