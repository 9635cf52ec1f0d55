import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotReplyError } from '../../src/bots/errors.ts';
import { createOpenAICompatibleProvider } from '../../src/bots/providers/openai-compatible.ts';
import type { ChatProvider } from '../../src/bots/types.ts';
import { type ProviderServer, startProviderServer } from './provider-server.ts';

let server: ProviderServer;
beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(() => server.close());

const messages = [{ role: 'user' as const, content: 'Ada: hi' }];

function provider(
  overrides: { apiKey?: string; idleTimeoutMs?: number; baseUrl?: string; fetch?: typeof fetch } = {},
): ChatProvider {
  return createOpenAICompatibleProvider({
    baseUrl: server.url,
    model: 'test-model',
    idleTimeoutMs: 2_000,
    ...overrides,
  });
}

async function collect(p: ChatProvider, signal = new AbortController().signal): Promise<string[]> {
  const out: string[] = [];
  for await (const piece of p.stream({ messages, maxTokens: 64, signal })) out.push(piece);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<BotReplyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BotReplyError);
  return error as BotReplyError;
}

describe('OpenAI-compatible provider', () => {
  it('streams the text and sends model, messages, stream flag and the key', async () => {
    server.behave({ kind: 'stream', tokens: ['Hello', ', ', 'world'] });
    const before = server.requests.length;
    expect(await collect(provider({ apiKey: 'sk-test' }))).toEqual(['Hello', ', ', 'world']);
    const request = server.requests[before];
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.authorization).toBe('Bearer sk-test');
    expect(request?.body).toMatchObject({ model: 'test-model', stream: true, messages });
  });

  it('sends no authorization header without a key', async () => {
    server.behave({ kind: 'stream', tokens: ['ok'] });
    const before = server.requests.length;
    await collect(provider());
    expect(server.requests[before]?.authorization).toBeUndefined();
  });

  it('fails with a fixed reason when the provider reports an error mid-stream, keeping its text for the log', async () => {
    server.behave({ kind: 'fail-mid-stream', tokens: ['partial'], how: 'error-chunk' });
    const error = await failure(collect(provider()));
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('failed during the reply');
    expect(error.message).not.toContain('upstream model overloaded');
    expect(error.detail).toContain('upstream model overloaded');
  });

  it('fails when the connection is cut mid-stream', async () => {
    server.behave({ kind: 'fail-mid-stream', tokens: ['partial'], how: 'cut' });
    const error = await failure(collect(provider()));
    expect(['network', 'provider_error']).toContain(error.code);
    expect(error.message).toMatch(/broke during the reply|closed the connection/);
  });

  it('times out a provider that goes silent after the headers', async () => {
    server.behave({ kind: 'hang-after-headers', tokens: ['first'] });
    const gone = server.clientGone();
    const error = await failure(collect(provider({ idleTimeoutMs: 300 })));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('sent nothing for 0.3 s');
    await gone;
  });

  it('says a key is needed on 401 without a key, and that the key was refused with one', async () => {
    server.behave({ kind: 'status', status: 401, body: { error: { message: 'No auth credentials found' } } });
    const missing = await failure(collect(provider()));
    expect(missing.code).toBe('no_key');
    expect(missing.message).toContain('needs an API key (401 Unauthorized)');
    expect(missing.message).not.toContain('No auth credentials');
    expect(missing.detail).toBe('No auth credentials found');
    const refused = await failure(collect(provider({ apiKey: 'sk-wrong' })));
    expect(refused.code).toBe('provider_error');
    expect(refused.message).toContain('refused the bot');
  });

  it('reports other statuses by their code only, never the body (it could be an internal page)', async () => {
    server.behave({ kind: 'status', status: 404, body: { error: { message: 'model not found: nope' } } });
    const error = await failure(collect(provider()));
    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('answered 404 Not Found.');
    expect(error.message).not.toContain('nope');
    expect(error.detail).toBe('model not found: nope');
  });

  it('refuses to call a hosted API that needs a key before sending anything', async () => {
    const error = await failure(collect(provider({ baseUrl: 'https://openrouter.ai/api/v1' })));
    expect(error.code).toBe('no_key');
  });

  it('does not follow redirects (they could lead to a private address)', async () => {
    // The target is loopback too: tests never send traffic off this machine. Following would hit it.
    server.behave({ kind: 'redirect', location: `${server.url}/chat/completions?followed=1` });
    const before = server.requests.length;
    const error = await failure(collect(provider({ idleTimeoutMs: 30_000 })));
    expect(error.code).toBe('network');
    expect(error.message).toContain('Could not reach the model provider');
    expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/v1/chat/completions']);
  });

  it('reports an unreachable provider', async () => {
    const error = await failure(collect(provider({ baseUrl: 'http://127.0.0.1:9/v1' })));
    expect(error.code).toBe('network');
    // fetch refuses port 9 itself ("bad port"): an error without a known code gets the generic reason.
    expect(error.message).toBe(
      'Could not reach the model provider at 127.0.0.1:9 (a network error). Check the provider URL in the bot settings, or try again later.',
    );
    expect(error.detail).toContain('bad port');
  });

  it('stops streaming and closes the connection when cancelled', async () => {
    server.behave({ kind: 'endless', delayMs: 5 });
    const controller = new AbortController();
    const gone = server.clientGone();
    const seen: string[] = [];
    const error = await failure(
      (async () => {
        for await (const piece of provider().stream({ messages, maxTokens: 64, signal: controller.signal })) {
          seen.push(piece);
          if (seen.length === 3) controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('cancelled');
    expect(seen).toHaveLength(3);
    await gone;
  });

  // An HTTP client can miss an abort (seen once in CI: a hung reply that neither its timeout nor Stop ended).
  const deafFetch: typeof fetch = (input, init) => fetch(input, { ...init, signal: undefined });

  it('times out a silent provider even when the HTTP client ignores the abort', async () => {
    server.behave({ kind: 'hang-after-headers', tokens: ['first'] });
    const gone = server.clientGone();
    const error = await failure(collect(provider({ idleTimeoutMs: 300, fetch: deafFetch })));
    expect(error.code).toBe('timeout');
    await gone;
  });

  it('stops when cancelled even when the HTTP client ignores the abort', async () => {
    server.behave({ kind: 'hang-after-headers', tokens: ['first'] });
    const controller = new AbortController();
    const gone = server.clientGone();
    const error = await failure(
      (async () => {
        for await (const _ of provider({ fetch: deafFetch, idleTimeoutMs: 30_000 }).stream({
          messages,
          maxTokens: 64,
          signal: controller.signal,
        }))
          controller.abort();
      })(),
    );
    expect(error.code).toBe('cancelled');
    await gone;
  });
});
