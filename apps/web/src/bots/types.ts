/** Shared shapes of the bot subsystem: what a provider consumes and produces. */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  messages: ChatMessage[];
  /** Upper bound on generated tokens; providers that ignore it are still capped by the reply's max length. */
  maxTokens: number;
  signal: AbortSignal;
}

/** A source of streamed reply text. `stream` yields text fragments in order and throws BotReplyError. */
export interface ChatProvider {
  /** Short label stored on each reply so readers know what wrote it, e.g. `offline` or `openrouter.ai · gpt-4o-mini`. */
  readonly label: string;
  readonly offline: boolean;
  stream(request: ChatRequest): AsyncIterable<string>;
}
