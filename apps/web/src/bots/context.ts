import type { BeingType } from '@rhizom/sync';
import { answers } from '../domain/being-types.ts';
import type { ChatMessage } from './types.ts';

/** One intention of the space as the context builder sees it. */
export interface ContextEntry {
  id: string;
  authorId: string;
  authorName: string;
  authorType: BeingType;
  content: string;
  state: string;
}

export interface BuildContextOptions {
  botId: string;
  systemPrompt: string;
  /** Recent intentions of the space, newest first (the order the domain lists them in). */
  recent: ContextEntry[];
  /** The message being answered; everything after it is ignored. */
  triggerId: string;
  /** Characters of conversation to send at most, system prompt excluded. */
  budgetChars: number;
}

/**
 * The messages sent to the model: the system prompt, then the conversation of the space up to the
 * trigger, oldest first, as much of it as fits in the budget (the trigger always does, clipped if huge).
 * People's messages carry their name, since many people share a space; the bot's own replies are
 * `assistant` turns. Unfinished or failed bot replies are left out: they are not something anyone said.
 */
export function buildContext(options: BuildContextOptions): ChatMessage[] {
  const start = options.recent.findIndex((entry) => entry.id === options.triggerId);
  if (start === -1) return [];
  const picked: ChatMessage[] = [];
  let used = 0;
  for (const entry of options.recent.slice(start)) {
    if (!counts(entry)) continue;
    const message = toMessage(entry, options.botId);
    if (picked.length === 0) {
      message.content = clipStart(message.content, options.budgetChars);
    } else if (used + message.content.length > options.budgetChars) {
      break;
    }
    used += message.content.length;
    picked.push(message);
  }
  return [{ role: 'system', content: options.systemPrompt }, ...picked.reverse()];
}

function counts(entry: ContextEntry): boolean {
  if (entry.content.trim() === '' || entry.state === 'draft') return false;
  return !answers(entry.authorType) || entry.state === 'complete';
}

function toMessage(entry: ContextEntry, botId: string): ChatMessage {
  if (entry.authorId === botId) return { role: 'assistant', content: entry.content };
  const who = answers(entry.authorType) ? `${entry.authorName} (a bot)` : entry.authorName;
  return { role: 'user', content: `${who}: ${entry.content}` };
}

/** Keep the end of an oversized message: its last words are what the answer should address. */
function clipStart(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}
