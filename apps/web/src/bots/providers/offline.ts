import { BotReplyError } from '../errors.ts';
import type { ChatMessage, ChatProvider, ChatRequest } from '../types.ts';

export interface OfflineProviderOptions {
  /** Pause between two streamed fragments; ~35 ms feels like a fast hosted model. */
  chunkDelayMs: number;
}

export const offlineLabel = 'offline bot (no model configured)';

/**
 * The bot that answers when no model provider is configured, so a fresh machine with no network still
 * has a living space. Deterministic: it reflects on the conversation and explains how to connect a model.
 */
export function createOfflineProvider(options: OfflineProviderOptions): ChatProvider {
  return {
    label: offlineLabel,
    offline: true,
    stream: (request) => streamOffline(request, options.chunkDelayMs),
  };
}

async function* streamOffline(request: ChatRequest, delayMs: number): AsyncGenerator<string> {
  for (const fragment of fragments(offlineReply(request.messages))) {
    await pause(delayMs, request.signal);
    yield fragment;
  }
}

/** The whole offline answer for a conversation. Pure, so its wording is tested directly. */
export function offlineReply(messages: ChatMessage[]): string {
  const said = messages.filter((message) => message.role === 'user');
  const last = said.at(-1)?.content ?? '';
  const { speaker, text } = splitSpeaker(last);
  const words = text.split(/\s+/).filter(Boolean);
  const lines = ['_Offline bot — no language model is configured on this server._', ''];
  if (words.length === 0) {
    lines.push(`I heard you${speaker ? `, ${speaker}` : ''}, but the message was empty.`);
  } else {
    // Described, not quoted: a verbatim echo would only repeat the message under it.
    const count = `${words.length} ${words.length === 1 ? 'word' : 'words'}`;
    lines.push(`Thanks${speaker ? `, ${speaker}` : ''} — I read your message (${count}).`, '');
    lines.push(reflect(text, words.length, said.length));
  }
  lines.push(
    '',
    'To get real answers, the server operator can set `BOT_PROVIDER_URL`, `BOT_MODEL` and `BOT_API_KEY` ' +
      '(any OpenAI-compatible API: OpenRouter, OpenAI, Ollama, vLLM), or this bot’s owner can choose a ' +
      'provider, model and key in the bot settings of this space.',
  );
  return lines.join('\n');
}

function reflect(text: string, wordCount: number, turns: number): string {
  const question = /\?\s*$/.test(text);
  const topic = longestWord(text);
  const parts: string[] = [];
  if (question) {
    parts.push('That is a question I cannot answer without a model, but it is worth keeping in the space.');
  } else if (wordCount > 40) {
    parts.push(`That is a long thought (${wordCount} words); others here can pick it up while I stay quiet.`);
  } else {
    parts.push('Noted — it is in the space for everyone here to read.');
  }
  if (topic) parts.push(`If I had to name its theme, I would say **${topic}**.`);
  if (turns > 1) parts.push(`This conversation has ${turns} messages from people so far.`);
  return parts.join(' ');
}

function splitSpeaker(content: string): { speaker: string | null; text: string } {
  // The context builder prefixes each person's message with "Name: ".
  const match = /^([^:\n]{1,60}): ([\s\S]*)$/.exec(content);
  return match
    ? { speaker: match[1] ?? null, text: (match[2] ?? '').trim() }
    : { speaker: null, text: content.trim() };
}

function longestWord(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]{5,}/gu) ?? [];
  return words.reduce<string | null>(
    (best, word) => (best === null || word.length > best.length ? word : best),
    null,
  );
}

/** Split text into word-sized fragments (keeping whitespace) the way a model streams tokens. */
export function fragments(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const stopped = () => new BotReplyError('cancelled', 'The reply was stopped.');
    if (signal.aborted) return reject(stopped());
    const onAbort = () => {
      clearTimeout(timer);
      reject(stopped());
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
