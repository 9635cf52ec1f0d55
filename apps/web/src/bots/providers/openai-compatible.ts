import { BotReplyError } from '../errors.ts';
import type { ChatProvider, ChatRequest } from '../types.ts';
import {
  type ChatStreamEvent,
  createChatStreamParser,
  describeError,
  parseChunk,
} from './chat-stream-parser.ts';

export interface OpenAICompatibleOptions {
  /** Base URL of the API, up to and including the version: `https://openrouter.ai/api/v1`, `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  model: string;
  apiKey?: string | null;
  /** The longest silence tolerated from the provider, before the first byte or between two chunks. */
  idleTimeoutMs: number;
  fetch?: typeof fetch;
}

/** Hosted APIs that always need a key: fail before sending anything instead of waiting for their 401. */
const keyRequiredHosts = new Set(['api.openai.com', 'openrouter.ai', 'api.groq.com', 'api.together.xyz']);

/** A streaming chat-completions client for any OpenAI-compatible endpoint (OpenAI, OpenRouter, Ollama, vLLM). */
export function createOpenAICompatibleProvider(options: OpenAICompatibleOptions): ChatProvider {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/chat/completions`);
  const doFetch = options.fetch ?? fetch;
  return {
    label: `${url.host} · ${options.model}`,
    offline: false,
    stream: (request) => streamCompletion(url, doFetch, options, request),
  };
}

async function* streamCompletion(
  url: URL,
  doFetch: typeof fetch,
  options: OpenAICompatibleOptions,
  request: ChatRequest,
): AsyncGenerator<string> {
  const apiKey = options.apiKey ?? null;
  if (!apiKey && keyRequiredHosts.has(url.hostname)) {
    throw new BotReplyError(
      'no_key',
      `This bot has no API key for ${url.host}. Its owner can add one in the bot settings.`,
    );
  }
  // One controller for the whole request, fed by the caller's signal and the idle timer. Every network
  // wait also races it, so a stop ends the reply even if the HTTP client missed the abort.
  const stop = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      stop.abort(new DOMException('The provider went silent.', 'TimeoutError'));
    }, options.idleTimeoutMs);
  };
  const onCancel = () => stop.abort(request.signal.reason);
  request.signal.addEventListener('abort', onCancel, { once: true });
  if (request.signal.aborted) onCancel();
  const stopped = new Promise<never>((_, reject) => {
    const onStop = () => reject(stop.signal.reason);
    if (stop.signal.aborted) onStop();
    else stop.signal.addEventListener('abort', onStop, { once: true });
  });
  stopped.catch(() => {});
  const untilStopped = <T>(work: Promise<T>): Promise<T> => Promise.race([work, stopped]);
  const explain = (error: unknown, phase: 'connect' | 'read') =>
    explainFailure(error, {
      phase,
      url,
      timedOut,
      cancelled: request.signal.aborted,
      idleMs: options.idleTimeoutMs,
    });

  touch();
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  try {
    let response: Response;
    try {
      response = await untilStopped(
        doFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            'x-title': 'rhizom',
            ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          },
          body: JSON.stringify({
            model: options.model,
            messages: request.messages,
            stream: true,
            max_tokens: request.maxTokens,
          }),
          signal: stop.signal,
          // A redirect could lead past the private-address check of owner-chosen URLs; APIs need none.
          redirect: 'error',
        }),
      );
    } catch (error) {
      throw explain(error, 'connect');
    }
    touch();
    if (!response.ok) throw await refusal(response, url, Boolean(apiKey), explain, untilStopped);
    if (!response.body)
      throw new BotReplyError('provider_error', `The model provider at ${url.host} sent no body.`);

    const isStream = (response.headers.get('content-type') ?? '').includes('event-stream');
    if (!isStream) {
      // Some servers ignore `stream: true` and answer with one JSON completion.
      let text: string;
      try {
        text = await untilStopped(response.text());
      } catch (error) {
        throw explain(error, 'read');
      }
      yield* textOf(parseWhole(text, url), url);
      return;
    }

    reader = response.body.getReader();
    const decoder = new TextDecoder();
    const parser = createChatStreamParser();
    while (true) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await untilStopped(reader.read());
      } catch (error) {
        throw explain(error, 'read');
      }
      touch();
      const events = chunk.done ? parser.end() : parser.push(decoder.decode(chunk.value, { stream: true }));
      for (const event of events) {
        if (event.kind === 'done') return;
        if (event.kind === 'error') throw midStreamError(event.message, url);
        yield event.text;
      }
      if (chunk.done) {
        throw new BotReplyError(
          'provider_error',
          `The model provider at ${url.host} closed the connection before the reply was finished. Try again.`,
        );
      }
    }
  } finally {
    clearTimeout(timer);
    request.signal.removeEventListener('abort', onCancel);
    // Leaving early (cancel, error, consumer stopped) must release the HTTP connection.
    if (reader) reader.cancel().catch(() => {});
    stop.abort();
  }
}

function* textOf(events: ChatStreamEvent[], url: URL): Generator<string> {
  for (const event of events) {
    if (event.kind === 'error') throw midStreamError(event.message, url);
    if (event.kind === 'delta') yield event.text;
  }
}

function parseWhole(text: string, url: URL): ChatStreamEvent[] {
  try {
    return parseChunk(JSON.parse(text));
  } catch {
    throw new BotReplyError(
      'provider_error',
      `The model provider at ${url.host} sent a response that is not JSON.`,
    );
  }
}

function midStreamError(message: string, url: URL): BotReplyError {
  return new BotReplyError(
    'provider_error',
    `The model provider at ${url.host} failed during the reply. Try again.`,
    { detail: message },
  );
}

async function refusal(
  response: Response,
  url: URL,
  hadKey: boolean,
  explain: (error: unknown, phase: 'read') => BotReplyError,
  untilStopped: <T>(work: Promise<T>) => Promise<T>,
): Promise<BotReplyError> {
  let body = '';
  try {
    body = await untilStopped(response.text());
  } catch (error) {
    return explain(error, 'read');
  }
  // What the provider said goes to the log only: the reply is seen by everyone in the space, and an
  // owner-chosen URL could point at a service whose error pages are nobody else's business.
  let detail = body.trim().slice(0, 300);
  try {
    detail = describeError(JSON.parse(body));
  } catch {
    // A non-JSON error page: its first characters are the best explanation available.
  }
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  if ((response.status === 401 || response.status === 403) && !hadKey) {
    return new BotReplyError(
      'no_key',
      `The model provider at ${url.host} needs an API key (${status}). The bot's owner can add one in the bot settings.`,
      { detail },
    );
  }
  if (response.status === 401 || response.status === 403) {
    return new BotReplyError(
      'provider_error',
      `The model provider at ${url.host} refused the bot's API key (${status}). The owner can set a valid key in the bot settings.`,
      { detail },
    );
  }
  return new BotReplyError(
    'provider_error',
    `The model provider at ${url.host} answered ${status}. Try again later, or check the model name in the bot settings.`,
    { detail },
  );
}

function explainFailure(
  error: unknown,
  context: { phase: 'connect' | 'read'; url: URL; timedOut: boolean; cancelled: boolean; idleMs: number },
): BotReplyError {
  if (context.cancelled) return new BotReplyError('cancelled', 'The reply was stopped.', { cause: error });
  if (context.timedOut) {
    const seconds = Math.round(context.idleMs / 100) / 10;
    return new BotReplyError(
      'timeout',
      `The model provider at ${context.url.host} sent nothing for ${seconds} s, so the reply was stopped. Try again later, or choose another model in the bot settings.`,
      { cause: error },
    );
  }
  const { reason, detail } = rootCause(error);
  return context.phase === 'connect'
    ? new BotReplyError(
        'network',
        `Could not reach the model provider at ${context.url.host} (${reason}). Check the provider URL in the bot settings, or try again later.`,
        { cause: error, detail },
      )
    : new BotReplyError(
        'network',
        `The connection to the model provider at ${context.url.host} broke during the reply (${reason}). Try again.`,
        { cause: error, detail },
      );
}

/** Network failures people may see, by error code; anything else is "a network error" (details are logged). */
const networkReasons: Record<string, string> = {
  ERR_PRIVATE_ADDRESS: 'it is or resolves to a private address',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection broken',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
};

function rootCause(error: unknown): { reason: string; detail: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 4; depth++) {
    const code = (current as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && networkReasons[code]) break;
    const cause = current instanceof Error ? current.cause : undefined;
    if (!cause) break;
    current = cause;
  }
  const code = (current as { code?: unknown } | undefined)?.code;
  const detail =
    current instanceof Error ? `${String(code ?? current.name)}: ${current.message}` : String(current);
  const reason = (typeof code === 'string' && networkReasons[code]) || 'a network error';
  return { reason, detail };
}
