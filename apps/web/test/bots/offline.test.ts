import { describe, expect, it } from 'vitest';
import { BotReplyError } from '../../src/bots/errors.ts';
import { createOfflineProvider, fragments, offlineReply } from '../../src/bots/providers/offline.ts';

describe('offline bot', () => {
  it('is labelled offline, reflects on the last message and its speaker, and explains how to configure a model', () => {
    const text = offlineReply([
      { role: 'system', content: 'prompt' },
      { role: 'user', content: 'Ada: first' },
      { role: 'assistant', content: 'earlier answer' },
      { role: 'user', content: 'Grace: How do spaces work?' },
    ]);
    expect(text).toMatch(/^_Offline bot — no language model is configured/);
    expect(text).toContain('Thanks, Grace — I read your message (4 words).');
    expect(text).not.toContain('How do spaces work?');
    expect(text).toContain('question');
    expect(text).toContain('This conversation has 2 messages from people so far.');
    expect(text).toContain('`BOT_PROVIDER_URL`');
  });

  it('answers the same conversation with the same text', () => {
    const conversation = [{ role: 'user' as const, content: 'Ada: tell me about rhizomes' }];
    expect(offlineReply(conversation)).toBe(offlineReply(conversation));
  });

  it('streams the whole answer in word-sized fragments', async () => {
    const provider = createOfflineProvider({ chunkDelayMs: 1 });
    expect(provider.offline).toBe(true);
    const messages = [{ role: 'user' as const, content: 'Ada: hello offline friend' }];
    const pieces: string[] = [];
    for await (const piece of provider.stream({
      messages,
      maxTokens: 100,
      signal: new AbortController().signal,
    })) {
      pieces.push(piece);
    }
    expect(pieces.length).toBe(fragments(offlineReply(messages)).length);
    expect(pieces.join('')).toBe(offlineReply(messages).trim());
  });

  it('stops when cancelled', async () => {
    const provider = createOfflineProvider({ chunkDelayMs: 1 });
    const controller = new AbortController();
    const pieces: string[] = [];
    const run = async () => {
      for await (const piece of provider.stream({
        messages: [{ role: 'user', content: 'Ada: hi' }],
        maxTokens: 100,
        signal: controller.signal,
      })) {
        pieces.push(piece);
        if (pieces.length === 2) controller.abort();
      }
    };
    await expect(run()).rejects.toBeInstanceOf(BotReplyError);
    expect(pieces).toHaveLength(2);
  });
});
