/**
 * Incremental parser for the streaming body of an OpenAI-compatible chat-completions response
 * (the provider's `data: {...}` event-stream wire format). Pure: bytes in, events out, so it is
 * tested without a network and the HTTP client stays thin.
 */

export type ChatStreamEvent =
  | { kind: 'delta'; text: string }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

export interface ChatStreamParser {
  /** Feed the next decoded text chunk; returns the events completed by it. */
  push(chunk: string): ChatStreamEvent[];
  /** The body ended; returns any event left in the buffer. */
  end(): ChatStreamEvent[];
}

export function createChatStreamParser(): ChatStreamParser {
  let buffer = '';
  let dataLines: string[] = [];

  const dispatch = (): ChatStreamEvent[] => {
    if (dataLines.length === 0) return [];
    const data = dataLines.join('\n');
    dataLines = [];
    return parseData(data);
  };

  const consumeLine = (line: string): ChatStreamEvent[] => {
    if (line === '') return dispatch();
    // Comment lines (`: keep-alive`, OpenRouter's `: OPENROUTER PROCESSING`) carry nothing.
    if (line.startsWith(':')) return [];
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return [];
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    dataLines.push(value);
    return [];
  };

  return {
    push(chunk) {
      buffer += chunk;
      const events: ChatStreamEvent[] = [];
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        events.push(...consumeLine(line));
        newline = buffer.indexOf('\n');
      }
      return events;
    },
    end() {
      const events = buffer === '' ? [] : consumeLine(buffer.replace(/\r$/, ''));
      buffer = '';
      return [...events, ...dispatch()];
    },
  };
}

function parseData(data: string): ChatStreamEvent[] {
  if (data.trim() === '[DONE]') return [{ kind: 'done' }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return [{ kind: 'error', message: `the provider sent data that is not JSON: ${clip(data)}` }];
  }
  return parseChunk(parsed);
}

/** One decoded chunk (or a whole non-streamed completion) as events. */
export function parseChunk(parsed: unknown): ChatStreamEvent[] {
  if (!isRecord(parsed))
    return [{ kind: 'error', message: 'the provider sent a chunk that is not an object' }];
  const error = parsed.error;
  if (error !== undefined && error !== null) return [{ kind: 'error', message: describeError(error) }];
  const choices = Array.isArray(parsed.choices) ? parsed.choices : [];
  const first: unknown = choices[0];
  if (!isRecord(first)) return [];
  const source = isRecord(first.delta) ? first.delta : isRecord(first.message) ? first.message : undefined;
  const text = source && typeof source.content === 'string' ? source.content : '';
  const events: ChatStreamEvent[] = text === '' ? [] : [{ kind: 'delta', text }];
  if (first.finish_reason === 'error')
    events.push({ kind: 'error', message: 'the model stopped with an error' });
  return events;
}

/** The provider's own error text, from the shapes OpenAI, OpenRouter, Ollama and vLLM use. */
export function describeError(error: unknown): string {
  if (typeof error === 'string') return clip(error);
  if (isRecord(error)) {
    const inner = isRecord(error.error) ? error.error : error;
    if (typeof inner.message === 'string') return clip(inner.message);
    if (typeof inner.detail === 'string') return clip(inner.detail);
  }
  return clip(JSON.stringify(error));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
