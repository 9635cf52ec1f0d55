import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type SfuServer, startSfu } from '@rhizom/sfu';
import { build } from 'esbuild';
import { appendSyncEvents } from '../../src/server/outbox.ts';
import { type SyncServer, type SyncServerOptions, startSyncServer } from '../../src/server/start.ts';
import { createTestDatabase, outboxProjection, type TestDatabase } from './database.ts';
import { posted, quietLogger } from './fixtures.ts';
import { type SfuProcess, startSfuProcess } from './sfu-process.ts';

export const API_KEY = 'devkey';
export const API_SECRET = 'secret-of-the-sync-harness-long-enough';

/**
 * A miniature app around the real parts: PGlite with the outbox, the sync server (broadcaster, catch-up,
 * tokens, presence webhooks), our SFU, and an HTTP origin that serves the bundled browser client and the
 * three API calls it needs. The "domain" here is the outbox itself: a space's state is the latest entity
 * of each id, which is exactly what the events say.
 */
export interface Harness {
  url: string;
  /** The in-process SFU (throws when the harness runs it as a child process). */
  sfu: SfuServer;
  /** Where clients and the sync server reach the SFU. */
  sfuUrl: string;
  sync: SyncServer;
  db: TestDatabase;
  write(space: string, id: string, content?: string): Promise<void>;
  /** From now on the API refuses `beingId` the space (404), as the app does once someone lost sight of it. */
  deny(space: string, beingId: string): void;
  isDenied(space: string, beingId: string | null): boolean;
  /** Join tokens asked for, per being. */
  tokenRequests(beingId: string): number;
  /** Stops the SFU (a crash, kill -9, when it runs as a child process) and starts it on the same port. */
  restartSfu(): Promise<void>;
  stopSfu(): Promise<void>;
  close(): Promise<void>;
}

let bundle: Promise<string> | null = null;
function pageBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('./page-client.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundle;
}

export async function startHarness(
  options: {
    broadcast?: SyncServerOptions['broadcast'];
    /** Run the SFU as its own `rhizom-sfu` process, which stopping kills with SIGKILL. */
    sfuProcess?: boolean;
  } = {},
): Promise<Harness> {
  const db = await createTestDatabase();
  const script = await pageBundle();
  let sync: SyncServer | null = null;
  const denied = new Set<string>();
  const tokens = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET') {
        if (req.url === '/client.js') {
          res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(script);
          return;
        }
        res
          .writeHead(200, { 'Content-Type': 'text/html' })
          .end('<!doctype html><html><head><script src="/client.js"></script></head><body></body></html>');
        return;
      }
      const body = await readBody(req);
      if (!sync) throw new Error('sync server not started');
      if (req.url === '/webhook') {
        await sync.receiveWebhook(body, req.headers.authorization);
        res.writeHead(200).end('ok');
        return;
      }
      const input = JSON.parse(body);
      if (harness.isDenied(input.space, input.beingId ?? null)) {
        res.writeHead(404).end(`no space ${input.space} for ${input.beingId}`);
        return;
      }
      if (req.url === '/api/token') tokens.set(input.beingId, (tokens.get(input.beingId) ?? 0) + 1);
      const answer =
        req.url === '/api/snapshot'
          ? await sync.snapshot(input.space)
          : req.url === '/api/since'
            ? await sync.since({ space: input.space, epoch: input.epoch, afterSeq: input.afterSeq })
            : req.url === '/api/keys'
              ? await sync.keys(input.space)
              : req.url === '/api/token'
                ? await sync.joinToken({
                    space: input.space,
                    beingId: input.beingId,
                    name: input.beingId,
                    presence: true,
                  })
                : null;
      if (answer === null) res.writeHead(404).end('no such route');
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(answer));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const sfuOptions = {
    host: '127.0.0.1',
    keys: { [API_KEY]: API_SECRET },
    webhook: { url: `${url}/webhook` },
    logger: quietLogger,
    departureTimeoutSeconds: 1,
  };
  const startProcess = (port: number) =>
    startSfuProcess({ port, keys: sfuOptions.keys, webhookUrl: sfuOptions.webhook.url });
  let sfuChild: SfuProcess | null = options.sfuProcess ? await startProcess(0) : null;
  let sfu: SfuServer | null = sfuChild ? null : await startSfu({ ...sfuOptions, port: 0 });
  const sfuPort = sfuChild?.port ?? sfu?.port ?? 0;
  const sfuUrl = sfuChild?.url ?? sfu?.url ?? '';
  sync = startSyncServer({
    db: db.db,
    logger: quietLogger,
    livekit: { url: sfuUrl, apiKey: API_KEY, apiSecret: API_SECRET, requestTimeoutSeconds: 2 },
    loadSpace: outboxProjection,
    broadcast: { sweepIntervalMs: 200, retryInitialMs: 100, retryMaxMs: 500, ...options.broadcast },
  });
  const liveSync = sync;
  let sfuUp = true;

  const harness: Harness = {
    url,
    get sfu() {
      if (!sfu) throw new Error('the SFU runs as a child process in this harness');
      return sfu;
    },
    sfuUrl,
    sync: liveSync,
    db,
    async write(space, id, content) {
      await db.db.transaction((tx) => appendSyncEvents(tx, [posted(space, id, content)]));
      liveSync.notify([space]);
    },
    deny(space, beingId) {
      denied.add(`${space} ${beingId}`);
    },
    isDenied: (space, beingId) => denied.has(`${space} ${beingId}`),
    tokenRequests: (beingId) => tokens.get(beingId) ?? 0,
    async stopSfu() {
      if (!sfuUp) return;
      sfuUp = false;
      await (sfuChild ? sfuChild.kill() : sfu?.close());
    },
    async restartSfu() {
      await harness.stopSfu();
      // Same port: clients and the broadcaster keep their URL, as with a real server restart.
      if (sfuChild) sfuChild = await startProcess(sfuPort);
      else sfu = await startSfu({ ...sfuOptions, port: sfuPort });
      sfuUp = true;
    },
    async close() {
      await liveSync.close();
      await harness.stopSfu();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
    },
  };
  return harness;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
