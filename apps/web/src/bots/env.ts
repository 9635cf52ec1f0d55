/**
 * Server-wide bot configuration, parsed with the rest of the app's in `server/config.ts` (defaults in
 * `defaultBotEnv` below). Unset provider → the offline bot answers.
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

export const defaultBotEnv: BotEnv = {
  providerUrl: null,
  apiKey: null,
  model: 'gpt-4o-mini',
  idleTimeoutMs: 30_000,
  maxReplyMs: 180_000,
  concurrency: 4,
  spaceRepliesPerMinute: 20,
  allowPrivateUrls: false,
};
