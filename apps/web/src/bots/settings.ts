import { z } from 'zod';
import { BOT_SETTINGS_LIMITS } from './settings-limits.ts';

/**
 * A bot's provider configuration, kept in its being's `properties.bot`. Public like the rest of the
 * being (it says which model answers); the API key is not here but in `bot_secrets`, write-only.
 */
export const BotSettingsSchema = z.object({
  providerUrl: z
    .string()
    .trim()
    .max(
      BOT_SETTINGS_LIMITS.providerUrlMax,
      `The provider URL is at most ${BOT_SETTINGS_LIMITS.providerUrlMax} characters.`,
    )
    .url('The provider URL must be a full URL such as https://openrouter.ai/api/v1.')
    .refine((value) => /^https?:\/\//i.test(value), 'The provider URL must start with http:// or https://.')
    .optional(),
  model: z
    .string()
    .trim()
    .min(1, 'The model name cannot be empty.')
    .max(
      BOT_SETTINGS_LIMITS.modelMax,
      `The model name is at most ${BOT_SETTINGS_LIMITS.modelMax} characters.`,
    )
    .optional(),
  systemPrompt: z
    .string()
    .max(
      BOT_SETTINGS_LIMITS.systemPromptMax,
      `The system prompt is at most ${BOT_SETTINGS_LIMITS.systemPromptMax.toLocaleString('en')} characters.`,
    )
    .optional(),
  repliesPerMinute: z
    .number()
    .int()
    .min(1)
    .max(
      BOT_SETTINGS_LIMITS.repliesPerMinuteMax,
      `A bot answers at most ${BOT_SETTINGS_LIMITS.repliesPerMinuteMax} times a minute.`,
    )
    .optional(),
  maxTokens: z.number().int().min(16).max(8192, 'A reply is at most 8,192 tokens.').optional(),
});
export type BotSettings = z.infer<typeof BotSettingsSchema>;

export const defaultSystemPrompt =
  'You are a helpful participant in a shared space called rhizom. Several people may be talking; each of their ' +
  'messages starts with their name. Answer the latest message briefly and in Markdown.';

export const defaultRepliesPerMinute = 6;
export const defaultMaxTokens = 1024;

/** The settings stored on a being, or defaults when they are missing or were written by an older version. */
export function readBotSettings(properties: Record<string, unknown> | null | undefined): BotSettings {
  const parsed = BotSettingsSchema.safeParse(properties?.bot ?? {});
  return parsed.success ? parsed.data : {};
}
