import { describe, expect, it } from 'vitest';
import { replyEnding } from '../../src/components/bots/reply-ending.ts';
import { firstLine } from '../../src/components/space/first-line.ts';

describe('one-line texts the UI derives', () => {
  it('summarises a description without Markdown syntax: links and images keep only their text', () => {
    expect(firstLine('\n## Welcome to [our garden](https://example.com) and ![a map](/m.png)\nmore')).toBe(
      'Welcome to our garden and a map',
    );
    expect(firstLine('> **bold** _move_ `code`')).toBe('bold move code');
  });

  it('says a reply was stopped once, not "Reply stopped: Stopped by …"', () => {
    expect(replyEnding('cancelled', 'Stopped by Ada.')).toBe('Stopped by Ada.');
    expect(replyEnding('cancelled', 'The bot was idle too long.')).toBe(
      'Reply stopped: The bot was idle too long.',
    );
    expect(replyEnding('cancelled', undefined)).toBe('Reply stopped.');
    expect(replyEnding('failed', 'The model refused.')).toBe('Reply failed: The model refused.');
  });
});
