import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { defaultHttpConfig, processConfig } from '../src/server/config.ts';
import { trpcHandlerFor } from '../src/server/http/api-handoff.ts';
import { answerWithFetch } from '../src/server/http/fetch-bridge.ts';
import { guardRequest, pathnameOf, refuse } from '../src/server/http/guard.ts';
import { securityHeaders } from '../src/server/http/security-headers.ts';
import { staticAssets } from '../src/server/http/static-assets.ts';
import { log } from './lib/log.ts';

/**
 * The app's HTTP server (`serve.ts start|dev <port>`, run by the launcher): Next.js behind our own
 * `http.Server`, so every request passes `guardRequest` first (client address from the socket and
 * TRUST_PROXY, body limits while streaming, security headers). `next start` gives route handlers neither.
 * Static files and the tRPC API are then answered here; pages and the other routes by Next.js.
 */
const appDir = fileURLToPath(new URL('..', import.meta.url));
const [mode, portArg] = process.argv.slice(2);
if ((mode !== 'start' && mode !== 'dev') || !portArg) throw new Error('usage: serve.ts start|dev <port>');
const dev = mode === 'dev';
// Next.js reads NODE_ENV when it loads; `next start` / `next dev` would set it the same way.
(process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? 'development' : 'production';

// Parsed here, before Next.js loads, so a bad variable stops the server at start; the app reuses this parse.
const settings = processConfig();
const config = {
  ...(settings.http ?? defaultHttpConfig),
  headers: securityHeaders({ livekitUrl: settings.livekit?.publicUrl ?? settings.livekit?.url, dev }),
};
const { default: next } = await import('next');
const app = next({ dev, dir: appDir, port: Number(portArg), ...(dev ? { turbopack: true } : {}) });
await app.prepare();
const handle = app.getRequestHandler();
// The production build's hashed files are served before Next.js; the dev server builds them on request.
const assets = dev ? null : staticAssets(fileURLToPath(new URL('../.next/static/', import.meta.url)));

const server = createServer((req, res) => {
  guardRequest(req, res, config)
    .then(async (guarded) => {
      if (!guarded || (await assets?.(guarded, res))) return;
      // The API is answered here once the bundle has handed it over (`api-handoff.ts`); not in dev, where
      // Next.js reloads the API's code on every edit.
      const api = dev ? undefined : trpcHandlerFor(pathnameOf(guarded.url));
      if (api) return answerWithFetch(api, guarded, res);
      await handle(guarded, res);
    })
    .catch((error: unknown) => {
      log.error({ err: error, url: req.url }, 'request failed before reaching the app');
      if (!res.headersSent) refuse(req, res, 500, 'The server failed to handle this request. Try again.');
    });
});
server.on('upgrade', app.getUpgradeHandler());
server.listen(Number(portArg), () => {
  log.debug({ port: portArg, mode }, 'serving');
  if (!dev) {
    void preloadAssets();
    void renderFrontDoor();
  }
});

/** The static files the first page asks for, read and gzipped before anyone asks. */
async function preloadAssets(): Promise<void> {
  const started = performance.now();
  try {
    const files = await assets?.preload();
    log.info({ files, ms: Math.round(performance.now() - started) }, 'static files read and gzipped once');
  } catch (error) {
    log.warn({ err: error }, 'could not preload the static files; each is read when first asked for');
  }
}

/**
 * Next.js loads a route's server code on the route's first request: 0.4 s on an idle machine, seconds on a busy
 * one. The front door redirects to the public space, the page most visits open, so it is rendered once as the
 * server starts rather than for the first person to open a space.
 */
async function renderFrontDoor(): Promise<void> {
  const started = performance.now();
  try {
    const page = await fetch(`http://127.0.0.1:${portArg}/`);
    await page.arrayBuffer();
    log.info(
      { status: page.status, ms: Math.round(performance.now() - started) },
      'front door rendered once',
    );
  } catch (error) {
    log.warn({ err: error }, 'could not render the front door at start; its first visitor will wait for it');
  }
}
