import { describe, expect, it } from 'vitest';
import { createChatStreamParser } from '../../src/bots/providers/chat-stream-parser.ts';

const data = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const delta = (content: string) => ({ choices: [{ index: 0, delta: { content }, finish_reason: null }] });

describe('chat stream parser', () => {
  it('yields the text of each chunk and stops at [DONE]', () => {
    const parser = createChatStreamParser();
    const events = parser.push(`${data(delta('Hel'))}${data(delta('lo'))}data: [DONE]\n\n`);
    expect(events).toEqual([{ kind: 'delta', text: 'Hel' }, { kind: 'delta', text: 'lo' }, { kind: 'done' }]);
  });

  it('reassembles events split anywhere, with CRLF line ends and comment lines', () => {
    const whole = `: OPENROUTER PROCESSING\r\n\r\n${data(delta('ä€😀')).replace(/\n/g, '\r\n')}data: [DONE]\r\n\r\n`;
    for (let cut = 1; cut < whole.length; cut++) {
      const parser = createChatStreamParser();
      const events = [...parser.push(whole.slice(0, cut)), ...parser.push(whole.slice(cut)), ...parser.end()];
      expect(events).toEqual([{ kind: 'delta', text: 'ä€😀' }, { kind: 'done' }]);
    }
  });

  it('reports an error object sent mid-stream with the provider message', () => {
    const parser = createChatStreamParser();
    const events = parser.push(data({ error: { message: 'model overloaded', code: 502 } }));
    expect(events).toEqual([{ kind: 'error', message: 'model overloaded' }]);
  });

  it('reports data that is not JSON', () => {
    const parser = createChatStreamParser();
    expect(parser.push('data: {oops\n\n')).toEqual([
      { kind: 'error', message: 'the provider sent data that is not JSON: {oops' },
    ]);
  });

  it('skips role-only and empty chunks, and flushes a last event without a blank line at end', () => {
    const parser = createChatStreamParser();
    expect(parser.push(data({ choices: [{ delta: { role: 'assistant' } }] }))).toEqual([]);
    expect(parser.push(`data: ${JSON.stringify(delta('tail'))}`)).toEqual([]);
    expect(parser.end()).toEqual([{ kind: 'delta', text: 'tail' }]);
  });
});
