import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP server on loopback that speaks the OpenAI chat-completions streaming format. It stands
 * for the remote model provider, the one thing these tests do not run for real.
 */
export interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: { model?: string; stream?: boolean; messages?: Array<{ role: string; content: string }> };
}

export type Behaviour =
  | { kind: 'stream'; tokens: string[]; delayMs?: number }
  /** Streams `tokens`, then an in-stream error object (OpenRouter style) or a cut connection. */
  | { kind: 'fail-mid-stream'; tokens: string[]; how: 'error-chunk' | 'cut' }
  /** Accepts the request and sends headers, then never another byte. */
  | { kind: 'hang-after-headers'; tokens?: string[] }
  | { kind: 'status'; status: number; body: unknown }
  | { kind: 'redirect'; location: string }
  /** Streams slowly until the client goes away; reports when it did. */
  | { kind: 'endless'; delayMs: number };

export interface ProviderServer {
  url: string;
  requests: RecordedRequest[];
  behave(behaviour: Behaviour): void;
  /** Resolves when a client disconnected from an `endless` or hanging stream. */
  clientGone(): Promise<void>;
  close(): Promise<void>;
}

export async function startProviderServer(): Promise<ProviderServer> {
  let behaviour: Behaviour = { kind: 'stream', tokens: ['Hello', ' there'] };
  const requests: RecordedRequest[] = [];
  const goneWaiters: Array<() => void> = [];
  const open = new Set<ServerResponse>();

  const server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as RecordedRequest['body'];
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization, body });
    open.add(res);
    res.on('close', () => {
      open.delete(res);
      for (const resolve of goneWaiters.splice(0)) resolve();
    });
    await respond(behaviour, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    behave(next) {
      behaviour = next;
    },
    clientGone: () => new Promise((resolve) => goneWaiters.push(resolve)),
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function respond(behaviour: Behaviour, res: ServerResponse): Promise<void> {
  if (behaviour.kind === 'redirect') {
    res.writeHead(307, { location: behaviour.location });
    res.end();
    return;
  }
  if (behaviour.kind === 'status') {
    res.writeHead(behaviour.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(behaviour.body));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(': keep-alive\n\n');
  switch (behaviour.kind) {
    case 'stream': {
      res.write(`data: ${JSON.stringify(chunk({ role: 'assistant', content: '' }))}\n\n`);
      for (const token of behaviour.tokens) {
        if (behaviour.delayMs) await sleep(behaviour.delayMs);
        if (res.destroyed) return;
        res.write(`data: ${JSON.stringify(chunk({ content: token }))}\n\n`);
      }
      res.write(`data: ${JSON.stringify(chunk({}, 'stop'))}\n\n`);
      res.end('data: [DONE]\n\n');
      return;
    }
    case 'fail-mid-stream': {
      for (const token of behaviour.tokens)
        res.write(`data: ${JSON.stringify(chunk({ content: token }))}\n\n`);
      await sleep(20);
      if (behaviour.how === 'cut') {
        res.destroy();
        return;
      }
      res.end(`data: ${JSON.stringify({ error: { code: 502, message: 'upstream model overloaded' } })}\n\n`);
      return;
    }
    case 'hang-after-headers': {
      for (const token of behaviour.tokens ?? [])
        res.write(`data: ${JSON.stringify(chunk({ content: token }))}\n\n`);
      return;
    }
    case 'endless': {
      let n = 0;
      while (!res.destroyed) {
        res.write(`data: ${JSON.stringify(chunk({ content: `w${n++} ` }))}\n\n`);
        await sleep(behaviour.delayMs);
      }
      return;
    }
  }
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'test-model',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (part: string) => {
      data += part;
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
