import { positiveInt } from '../server/env-number.ts';

/**
 * Server-wide bot configuration from the environment. Unset provider → the offline bot answers.
 *
 * | Variable | Default | Meaning |
 * | BOT_PROVIDER_URL | unset (offline bot) | OpenAI-compatible base URL, e.g. https://openrouter.ai/api/v1 |
 * | BOT_API_KEY | unset | key sent to BOT_PROVIDER_URL only (never to a URL a bot owner chose) |
 * | BOT_MODEL | gpt-4o-mini | model for bots that name none |
 * | BOT_IDLE_TIMEOUT_MS | 30000 | longest silence from a provider before the reply fails |
 * | BOT_MAX_REPLY_MS | 180000 | longest a reply may take in total |
 * | BOT_CONCURRENCY | 4 | replies streamed at once by one app process |
 * | BOT_SPACE_REPLIES_PER_MINUTE | 20 | replies all bots together may start in one space per minute |
 * | BOT_ALLOW_PRIVATE_URLS | false | let bot owners point at loopback/private addresses (local Ollama) |
 */
export interface BotEnv {
  providerUrl: string | null;
  apiKey: string | null;
  model: string;
  idleTimeoutMs: number;
  maxReplyMs: number;
  concurrency: number;
  spaceRepliesPerMinute: number;
  allowPrivateUrls: boolean;
}

export function readBotEnv(env: Record<string, string | undefined> = process.env): BotEnv {
  return {
    providerUrl: nonEmpty(env.BOT_PROVIDER_URL),
    apiKey: nonEmpty(env.BOT_API_KEY),
    model: nonEmpty(env.BOT_MODEL) ?? 'gpt-4o-mini',
    idleTimeoutMs: positiveInt(env, 'BOT_IDLE_TIMEOUT_MS', 30_000),
    maxReplyMs: positiveInt(env, 'BOT_MAX_REPLY_MS', 180_000),
    concurrency: positiveInt(env, 'BOT_CONCURRENCY', 4),
    spaceRepliesPerMinute: positiveInt(env, 'BOT_SPACE_REPLIES_PER_MINUTE', 20),
    allowPrivateUrls: /^(1|true|yes)$/i.test(env.BOT_ALLOW_PRIVATE_URLS ?? ''),
  };
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
