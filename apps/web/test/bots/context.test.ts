import { describe, expect, it } from 'vitest';
import { buildContext, type ContextEntry } from '../../src/bots/context.ts';

const entry = (
  id: string,
  authorId: string,
  content: string,
  extra: Partial<ContextEntry> = {},
): ContextEntry => ({
  id,
  authorId,
  authorName: authorId.slice(1),
  authorType: 'guest',
  content,
  state: 'complete',
  ...extra,
});

// Newest first, as the domain lists them.
const recent = [
  entry('6', '@ada', 'posted after the trigger'),
  entry('5', '@ada', 'and what about you?'),
  entry('4', '@helper', '', { authorType: 'bot', state: 'active' }),
  entry('3', '@helper', 'I am the bot', { authorType: 'bot' }),
  entry('2', '@other-bot', 'half a reply', { authorType: 'bot', state: 'failed' }),
  entry('1', '@grace', 'hello everyone'),
];

describe('context builder', () => {
  it('sends the conversation up to the trigger, oldest first, with names and the bot as assistant', () => {
    const messages = buildContext({
      botId: '@helper',
      systemPrompt: 'Be kind.',
      recent,
      triggerId: '5',
      budgetChars: 10_000,
    });
    expect(messages).toEqual([
      { role: 'system', content: 'Be kind.' },
      { role: 'user', content: 'grace: hello everyone' },
      { role: 'assistant', content: 'I am the bot' },
      { role: 'user', content: 'ada: and what about you?' },
    ]);
  });

  it('keeps the newest messages that fit in the budget', () => {
    const messages = buildContext({
      botId: '@helper',
      systemPrompt: 's',
      recent,
      triggerId: '5',
      budgetChars: 40,
    });
    expect(messages.map((m) => m.content)).toEqual(['s', 'I am the bot', 'ada: and what about you?']);
  });

  it('always keeps the end of an oversized trigger', () => {
    const long = entry('9', '@ada', `${'x'.repeat(100)} the question`);
    const messages = buildContext({
      botId: '@helper',
      systemPrompt: 's',
      recent: [long],
      triggerId: '9',
      budgetChars: 20,
    });
    expect(messages[1]?.content).toHaveLength(20);
    expect(messages[1]?.content.endsWith('the question')).toBe(true);
  });

  it('names other bots as bots', () => {
    const messages = buildContext({
      botId: '@helper',
      systemPrompt: 's',
      recent: [entry('2', '@ada', 'hi'), entry('1', '@echo', 'beep', { authorType: 'bot' })],
      triggerId: '2',
      budgetChars: 1000,
    });
    expect(messages[1]).toEqual({ role: 'user', content: 'echo (a bot): beep' });
  });

  it('returns nothing when the trigger is gone', () => {
    expect(
      buildContext({ botId: '@helper', systemPrompt: 's', recent, triggerId: 'nope', budgetChars: 100 }),
    ).toEqual([]);
  });
});
