import { describe, expect, it } from 'vitest';

import { BotReplyError } from '../../src/bots/errors.ts';
import { hostProblem } from '../../src/bots/outbound/address-policy.ts';
import { resolveProvider } from '../../src/bots/providers/resolve.ts';
import { providerUrlProblem } from '../../src/bots/providers/url-policy.ts';
import { BotSettingsSchema, readBotSettings } from '../../src/bots/settings.ts';
import { configFromEnv } from '../../src/server/config.ts';

/** The bots' part of the app's configuration parsed from these variables. */
const env = (vars: Record<string, string> = {}) => configFromEnv({ BETTER_AUTH_SECRET: 's', ...vars }).bots;

function choose(settings: object, storedKey: string | null, vars: Record<string, string> = {}) {
  return resolveProvider({
    settings: BotSettingsSchema.parse(settings),
    storedKey,
    env: env(vars),
    offlineChunkDelayMs: 1,
  });
}

describe('which provider answers', () => {
  it('is the offline bot with no configuration at all', () => {
    const provider = choose({}, null);
    expect(provider.offline).toBe(true);
    expect(provider.label).toContain('offline');
  });

  it('is the server provider with the bot model when BOT_PROVIDER_URL is set', () => {
    const provider = choose({ model: 'llama3.2' }, null, { BOT_PROVIDER_URL: 'http://127.0.0.1:11434/v1' });
    expect(provider.offline).toBe(false);
    expect(provider.label).toBe('127.0.0.1:11434 · llama3.2');
  });

  it('is OpenRouter when a bot has a key but no URL', () => {
    expect(choose({ model: 'openai/gpt-4o-mini' }, 'sk-or').label).toBe('openrouter.ai · openai/gpt-4o-mini');
  });

  it('refuses a private bot URL unless the operator allows it, and a bot URL without a model', () => {
    const refused = () => choose({ providerUrl: 'http://127.0.0.1:11434/v1', model: 'm' }, null);
    expect(refused).toThrow(BotReplyError);
    expect(refused).toThrow(/BOT_ALLOW_PRIVATE_URLS/);
    const allowed = choose({ providerUrl: 'http://127.0.0.1:11434/v1', model: 'm' }, null, {
      BOT_ALLOW_PRIVATE_URLS: 'true',
    });
    expect(allowed.offline).toBe(false);
    expect(() => choose({ providerUrl: 'https://api.example.com/v1' }, null)).toThrow(/no model/);
  });
});

describe('provider URL policy', () => {
  it('recognises loopback, private and link-local hosts', () => {
    for (const host of [
      'localhost',
      'api.localhost',
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '[::1]',
      '[fd00::1]',
      '[::ffff:127.0.0.1]',
      '0.0.0.0',
    ]) {
      expect(hostProblem(host), host).not.toBeNull();
    }
    for (const host of ['openrouter.ai', '8.8.8.8', '172.32.0.1', '[2606:4700::1111]']) {
      expect(hostProblem(host), host).toBeNull();
    }
  });

  it('rejects credentials in the URL and other schemes', () => {
    expect(providerUrlProblem('https://user:pw@api.example.com/v1', false)).toContain('key field');
    expect(providerUrlProblem('ftp://api.example.com', false)).toContain('http or https');
    expect(providerUrlProblem('https://api.example.com/v1', false)).toBeNull();
  });
});

describe('bot settings and environment', () => {
  it('reads defaults from missing or invalid stored settings', () => {
    expect(readBotSettings({})).toEqual({});
    expect(readBotSettings({ bot: { model: 42 } })).toEqual({});
    expect(readBotSettings({ bot: { model: 'm', systemPrompt: 'p' } })).toEqual({
      model: 'm',
      systemPrompt: 'p',
    });
  });

  it('explains a bad number in the environment', () => {
    expect(() => env({ BOT_IDLE_TIMEOUT_MS: 'soon' })).toThrow(
      'BOT_IDLE_TIMEOUT_MS must be a positive whole number, got "soon". Unset it to use 30000.',
    );
    expect(env().providerUrl).toBeNull();
  });
});
