import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EAGER_COMPILE_HINT, staticAssets } from '../../src/server/http/static-assets.ts';

/**
 * The build's static files answered before Next.js (scripts/serve.ts), on a real HTTP server whose
 * stand-in for Next.js answers everything else. A file outside the static folder must never be served.
 */
let server: Server;
let base: string;
let dir: string;
const script = 'console.log("chunk");'.repeat(50);
const css = 'body { color: black; }';
/** A script as served: V8's compile hint on the first line, then the file as built. */
const servedScript = `${EAGER_COMPILE_HINT}${script}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rhizom-static-'));
  mkdirSync(join(dir, 'static', 'chunks'), { recursive: true });
  writeFileSync(join(dir, 'static', 'chunks', 'app-1a2b.js'), script);
  writeFileSync(join(dir, 'static', 'chunks', 'font.woff2'), Buffer.from([1, 2, 3]));
  writeFileSync(join(dir, 'static', 'chunks', 'page-3c4d.css'), css);
  writeFileSync(join(dir, 'secret.txt'), 'not for anyone');
  // As scripts/serve.ts names it: a folder URL's path, with its trailing slash.
  const assets = staticAssets(`${join(dir, 'static')}/`);
  server = createServer((req, res) => {
    void assets(req, res).then((served) => {
      if (!served) res.writeHead(404, { 'x-answered-by': 'next' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** A request with the path exactly as given (fetch would resolve `..` first). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = request(`${base}${path}`, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.path = path;
      req.on('error', reject);
      req.end();
    },
  );
}

describe('static assets', () => {
  it('serves a build file as immutable, gzipped when the client takes gzip', async () => {
    const plain = await get('/_next/static/chunks/app-1a2b.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(servedScript);

    const zipped = await get('/_next/static/chunks/app-1a2b.js?v=1', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(script.length);
    expect(gunzipSync(zipped.body).toString()).toBe(servedScript);
  });

  it('asks V8 to compile scripts as they stream in, and leaves other files as built', async () => {
    const served = (await get('/_next/static/chunks/app-1a2b.js')).body.toString();
    expect(served.split('\n')[0]).toBe('//# allFunctionsCalledOnLoad');
    expect(served.slice(served.indexOf('\n') + 1)).toBe(script);
    expect((await get('/_next/static/chunks/page-3c4d.css')).body.toString()).toBe(css);
  });

  it('sends compressed formats as they are, and HEAD without a body', async () => {
    const font = await get('/_next/static/chunks/font.woff2', { 'accept-encoding': 'gzip' });
    expect(font.headers['content-type']).toBe('font/woff2');
    expect(font.headers['content-encoding']).toBeUndefined();
    expect([...font.body]).toEqual([1, 2, 3]);
    const head = await get('/_next/static/chunks/app-1a2b.js', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(servedScript)));
    expect(head.body.length).toBe(0);
  });

  it('leaves missing files, other paths and other methods to Next.js', async () => {
    for (const [path, method] of [
      ['/_next/static/chunks/missing.js', 'GET'],
      ['/being/x', 'GET'],
      ['/_next/static/chunks/app-1a2b.js', 'POST'],
    ] as const) {
      const answer = await get(path, {}, method);
      expect(answer.headers['x-answered-by'], `${method} ${path}`).toBe('next');
    }
  });

  it('never serves a file outside the static folder', async () => {
    for (const path of [
      '/_next/static/../secret.txt',
      '/_next/static/%2e%2e/secret.txt',
      '/_next/static/chunks/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/_next/static/%2fetc%2fpasswd',
    ]) {
      const answer = await get(path);
      expect(answer.body.toString(), path).not.toContain('not for anyone');
      expect(answer.headers['x-answered-by'], path).toBe('next');
    }
  });

  it('preloads every file of the static folder, and answers from memory what it preloaded', async () => {
    const other = mkdtempSync(join(tmpdir(), 'rhizom-static-preload-'));
    mkdirSync(join(other, 'static', 'chunks', 'deep'), { recursive: true });
    writeFileSync(join(other, 'static', 'chunks', 'a.js'), script);
    writeFileSync(join(other, 'static', 'chunks', 'deep', 'b.css'), css);
    writeFileSync(join(other, 'outside.txt'), 'not for anyone');
    const preloaded = staticAssets(`${join(other, 'static')}/`);
    try {
      expect(await preloaded.preload()).toBe(2);
      // Gone from disk: only a file held in memory can still be answered.
      rmSync(join(other, 'static'), { recursive: true, force: true });
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const probe = createServer((req, reply) => void preloaded(req, reply));
        probe.listen(0, '127.0.0.1', () => {
          const port = (probe.address() as AddressInfo).port;
          request(`http://127.0.0.1:${port}/_next/static/chunks/deep/b.css`, (answer) => {
            const chunks: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => chunks.push(chunk));
            answer.on('end', () => {
              probe.close();
              resolve({ status: answer.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
            });
          })
            .on('error', reject)
            .end();
        });
      });
      expect(res).toEqual({ status: 200, body: css });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
