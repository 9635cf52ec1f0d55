/**
 * One bot streams a long reply into a space watched by many clients.
 *
 * New design (what rhizom runs): the bot runner writes the growing reply at most every 100 ms; each write
 * is one sync event, broadcast by the outbox over LiveKit data (embedded SFU) to every client, which
 * applies it to its store. Old design (measured in the same run, same history, same token stream): the
 * reply is written every 500 ms and each write makes every client refetch the space's history.
 *
 * Figures: sync events and packets sent, bytes per client, lag from a token leaving the provider to the
 * client holding it (p50/p99 over every token × client), database reads. Options by env:
 * BENCH_CLIENTS (50), BENCH_TOKENS (2000), BENCH_TOKEN_MS (5), BENCH_HISTORY (200).
 */
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createOpenAICompatibleProvider } from '@rhizom/web/bots/openai-compatible';
import type { Runtime } from '@rhizom/web/runtime';
import pino from 'pino';
import { startAppStack } from './app-stack.ts';
import { percentile } from './stats.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 2000);
const TOKEN_MS = Number(process.env.BENCH_TOKEN_MS ?? 5);
const HISTORY = Number(process.env.BENCH_HISTORY ?? 200);
const OLD_WRITE_MS = 500;

const log = pino({ level: 'warn' });
const token = (i: number) => `t${i} `;
/** Wall-clock-based high-resolution time, comparable with the clients' process. */
const now = () => performance.timeOrigin + performance.now();

/** A loopback provider in the OpenAI streaming format that records when each token left it. */
async function startProvider() {
  let sentAt: number[] = [];
  const server = createServer(async (req, res) => {
    for await (const _ of req) {
      // Drain the request body.
    }
    sentAt = [];
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    for (let i = 0; i < TOKENS; i++) {
      sentAt.push(now());
      res.write(chunk(token(i)));
      await new Promise((resolve) => setTimeout(resolve, TOKEN_MS));
    }
    res.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return { url, sentAt: () => sentAt, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Length of the reply once token i is in it. */
function lengthAfter(i: number): number {
  let length = 0;
  for (let k = 0; k <= i; k++) length += token(k).length;
  return length;
}

/** For each token, when each observer first held a reply at least that long. */
function lags(sentAt: number[], observations: Array<Array<{ at: number; length: number }>>): number[] {
  const cumulative: number[] = [];
  let length = 0;
  for (let i = 0; i < sentAt.length; i++) {
    length += token(i).length;
    cumulative.push(length);
  }
  const out: number[] = [];
  for (const seen of observations) {
    let j = 0;
    for (let i = 0; i < sentAt.length; i++) {
      while (j < seen.length && (seen[j]?.length ?? 0) < (cumulative[i] ?? 0)) j++;
      const hit = seen[j];
      if (hit) out.push(hit.at - (sentAt[i] ?? 0));
    }
  }
  return out;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

async function main() {
  const provider = await startProvider();
  const stack = await startAppStack({
    logger: log,
    bots: {
      env: { providerUrl: provider.url, apiKey: null, model: 'bench', concurrency: 1, maxReplyMs: 600_000 },
    },
  });
  const { runtime, actor } = stack;
  const { domain } = runtime;

  const space = await domain.beings.create(actor, { name: 'Bench', type: 'space' });
  for (let i = 0; i < HISTORY; i++) {
    await domain.intentions.createUtterance(actor, {
      spaceId: space.id,
      content: `History message ${i}: ${'lorem ipsum dolor sit amet '.repeat(7)}`,
    });
  }
  await runtime.bots.runner.idle();
  // The bot arrives after the history, so only the measured message gets a reply.
  const bot = await domain.beings.create(actor, { name: 'Streamer', type: 'bot', locationId: space.id });

  // --- New design: sync deltas over LiveKit to every client (clients in their own process).
  const watchers = fork(fileURLToPath(new URL('./bot-stream-clients.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ask = <T>(message: object, answer: string) =>
    new Promise<T>((resolve) => {
      const onMessage = (reply: { type: string }) => {
        if (reply.type !== answer) return;
        watchers.off('message', onMessage);
        resolve(reply as T);
      };
      watchers.on('message', onMessage);
      watchers.send(message);
    });
  const joins = [];
  for (let c = 0; c < CLIENTS; c++) {
    joins.push(
      await runtime.sync.joinToken({ space: space.id, beingId: `@watcher-${c}`, name: `watcher ${c}` }),
    );
  }
  await ask(
    { type: 'join', space: space.id, snapshot: await runtime.sync.snapshot(space.id), joins },
    'joined',
  );

  const packetsBefore = runtime.sync.broadcaster?.stats.packets ?? 0;
  const started = performance.now();
  const trigger = await domain.intentions.createUtterance(actor, {
    spaceId: space.id,
    content: 'Tell me everything.',
  });
  await runtime.bots.runner.idle();
  const page = await domain.intentions.list(actor, { spaceId: space.id, limit: 5 });
  const replyId = page.items.find((row) => row.properties.replyTo === trigger.id)?.id ?? '';
  type Seen = Array<{ at: number; length: number; state: string }>;
  let clients: Array<{ bytes: number; seen: Seen }> = [];
  const deadline = Date.now() + 60_000;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    clients = (await ask<{ clients: typeof clients }>({ type: 'collect', replyId }, 'collected')).clients;
  } while (
    clients.some((client) => client.seen.at(-1)?.state === 'active' || client.seen.length === 0) &&
    Date.now() < deadline
  );
  const newDuration = performance.now() - started;
  const replyEvents = await countReplyEvents(runtime, space.id, replyId);
  const packets = (runtime.sync.broadcaster?.stats.packets ?? 0) - packetsBefore;
  const newLags = lags(
    provider.sentAt(),
    clients.map((client) => client.seen),
  );
  const newBytes = clients.reduce((sum, client) => sum + client.bytes, 0) / CLIENTS;
  const complete = clients.filter((client) => client.seen.at(-1)?.state === 'complete').length;
  watchers.send({ type: 'close' });

  // --- Old design: write every 500 ms, every client refetches the history on each write.
  const legacyReply = await domain.intentions.create({ ownerId: bot.id, spaceId: space.id, state: 'active' });
  const stream = createOpenAICompatibleProvider({
    baseUrl: provider.url,
    model: 'bench',
    idleTimeoutMs: 30_000,
  });
  const observations: Array<Array<{ at: number; length: number }>> = Array.from(
    { length: CLIENTS },
    () => [],
  );
  let content = '';
  let written = '';
  let reads = 0;
  let oldBytes = 0;
  let writes = 0;
  const refetchAll = async () => {
    for (let c = 0; c < CLIENTS; c++) {
      oldBytes += 40; // the id-only ping
      const page = await domain.intentions.list(actor, { spaceId: space.id, limit: 100 });
      reads++;
      oldBytes += Buffer.byteLength(JSON.stringify(page));
      const reply = page.items.find((row) => row.id === legacyReply.id);
      observations[c]?.push({ at: now(), length: reply?.content.length ?? 0 });
    }
  };
  let writing: Promise<void> = Promise.resolve();
  const tick = setInterval(() => {
    writing = writing.then(async () => {
      if (content === written) return;
      written = content;
      await domain.intentions.update(legacyReply.id, { content: written });
      writes++;
      await refetchAll();
    });
  }, OLD_WRITE_MS);
  for await (const piece of stream.stream({
    messages: [{ role: 'user', content: 'again' }],
    maxTokens: TOKENS,
    signal: new AbortController().signal,
  })) {
    content += piece;
  }
  clearInterval(tick);
  await writing;
  if (content !== written) {
    written = content;
    await domain.intentions.update(legacyReply.id, { content: written, state: 'complete' });
    writes++;
    await refetchAll();
  }
  const oldLags = lags(provider.sentAt(), observations);
  const oldBytesPerClient = oldBytes / CLIENTS;

  const rows = [
    ['', 'rhizom (sync deltas)', 'old (ping + full refetch)', 'old / new'],
    ['writes of the reply', String(replyEvents), String(writes), (writes / replyEvents).toFixed(2)],
    ['packets sent (all clients share one send)', String(packets), `${writes * CLIENTS} pings`, ''],
    ['bytes per client', kb(newBytes), kb(oldBytesPerClient), (oldBytesPerClient / newBytes).toFixed(1)],
    [
      'lag token → client p50',
      ms(percentile(newLags, 50)),
      ms(percentile(oldLags, 50)),
      (percentile(oldLags, 50) / percentile(newLags, 50)).toFixed(1),
    ],
    [
      'lag token → client p99',
      ms(percentile(newLags, 99)),
      ms(percentile(oldLags, 99)),
      (percentile(oldLags, 99) / percentile(newLags, 99)).toFixed(1),
    ],
    ['history reads by clients', '0', String(reads), ''],
  ];
  console.log(
    `\nbot streaming ${TOKENS} tokens (${lengthAfter(TOKENS - 1)} chars, one every ${TOKEN_MS} ms) to ${CLIENTS} clients; ` +
      `history ${HISTORY} messages; ${complete}/${CLIENTS} clients saw the reply complete in ${(newDuration / 1000).toFixed(1)} s; ` +
      `${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)} (app and SFU in this process, the clients in a child process)\n`,
  );
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(i === 0 ? 44 : 28)).join(''));

  await stack.close();
  await provider.close();
}

async function countReplyEvents(runtime: Runtime, space: string, replyId: string) {
  const { syncEvents } = await import('@rhizom/web/schema');
  const { and, eq, inArray } = await import('drizzle-orm');
  // A reply is created and settled as whole rows and grows through appends: every one is a write.
  const rows = await runtime.db
    .select({ entity: syncEvents.entity })
    .from(syncEvents)
    .where(
      and(eq(syncEvents.spaceId, space), inArray(syncEvents.type, ['intention.upsert', 'intention.append'])),
    );
  return rows.filter((row) => (row.entity as { id?: string }).id === replyId).length;
}

await main();
