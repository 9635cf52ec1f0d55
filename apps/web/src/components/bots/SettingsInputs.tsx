import { BOT_SETTINGS_LIMITS } from '@/bots/settings-limits';

type TextInputProps = { value: string; onChange: (value: string) => void };

/** A bot's model name, where a bot is added and in its settings; the limit is the server's. */
export function ModelInput({ value, onChange }: TextInputProps) {
  return (
    <input
      className="input"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder="openai/gpt-4o-mini"
      maxLength={BOT_SETTINGS_LIMITS.modelMax}
      spellCheck={false}
      autoCapitalize="off"
    />
  );
}

/** A bot's system prompt, where a bot is added and in its settings; the limit is the server's. */
export function SystemPromptInput({ value, onChange, rows }: TextInputProps & { rows: number }) {
  return (
    <textarea
      className="input"
      rows={rows}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder="Leave empty for the default: a brief, helpful participant."
      maxLength={BOT_SETTINGS_LIMITS.systemPromptMax}
    />
  );
}
