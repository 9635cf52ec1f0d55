import type { BotEnv } from '../env.ts';
import { BotReplyError } from '../errors.ts';
import { publicOnlyFetch } from '../outbound/guarded-fetch.ts';
import type { BotSettings } from '../settings.ts';
import type { ChatProvider } from '../types.ts';
import { createOfflineProvider } from './offline.ts';
import { createOpenAICompatibleProvider } from './openai-compatible.ts';
import { providerUrlProblem } from './url-policy.ts';

/** Where a key without a URL goes: OpenRouter reaches most models with one key. */
export const defaultKeyedProviderUrl = 'https://openrouter.ai/api/v1';

export interface ResolveProviderOptions {
  settings: BotSettings;
  /** The bot's own key from bot_secrets, if its owner set one. */
  storedKey: string | null;
  env: BotEnv;
  offlineChunkDelayMs: number;
  fetch?: typeof fetch;
}

/**
 * Which provider answers for a bot, in this order: the bot's own URL (with only the bot's own key, so the
 * server's key never leaves for a URL an owner typed); the server's BOT_PROVIDER_URL (with the bot's key
 * or the server's); OpenRouter when the bot has a key but no URL; otherwise the offline bot.
 */
export function resolveProvider(options: ResolveProviderOptions): ChatProvider {
  const { settings, storedKey, env } = options;
  const common = { idleTimeoutMs: env.idleTimeoutMs, fetch: options.fetch };
  if (settings.providerUrl) {
    const problem = providerUrlProblem(settings.providerUrl, env.allowPrivateUrls);
    if (problem) throw new BotReplyError('invalid_config', problem);
    if (!settings.model) {
      throw new BotReplyError(
        'invalid_config',
        'This bot has a provider URL but no model. Its owner can name a model in the bot settings.',
      );
    }
    return createOpenAICompatibleProvider({
      ...common,
      // The owner typed this URL: connect only to public addresses, checked after DNS on every connection.
      fetch: env.allowPrivateUrls ? options.fetch : publicOnlyFetch,
      baseUrl: settings.providerUrl,
      model: settings.model,
      apiKey: storedKey,
    });
  }
  if (env.providerUrl) {
    return createOpenAICompatibleProvider({
      ...common,
      baseUrl: env.providerUrl,
      model: settings.model ?? env.model,
      apiKey: storedKey ?? env.apiKey,
    });
  }
  if (storedKey) {
    return createOpenAICompatibleProvider({
      ...common,
      baseUrl: defaultKeyedProviderUrl,
      model: settings.model ?? env.model,
      apiKey: storedKey,
    });
  }
  return createOfflineProvider({ chunkDelayMs: options.offlineChunkDelayMs });
}
