/**
 * Bounds of a bot's settings: the schema (`settings.ts`) enforces them and the settings forms use them as
 * field limits. Apart from the schema, so the pages with those forms do not load zod.
 */
export const BOT_SETTINGS_LIMITS = {
  providerUrlMax: 500,
  modelMax: 200,
  systemPromptMax: 8_000,
  repliesPerMinuteMax: 60,
} as const;
