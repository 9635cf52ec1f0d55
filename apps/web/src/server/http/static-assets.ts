import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { acceptsGzip, gzipped } from './gzip.ts';

const PREFIX = '/_next/static/';

const contentTypes: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * V8's explicit compile hint (Chrome 136+; other engines read a comment). Without it V8 compiles a script's
 * functions lazily, on the main thread, when each is first called: a Turbopack chunk is a list of module
 * factories, every one called as its page loads, so the page compiled them in its longest tasks (livekit-client's
 * 580 kB factory alone: 687 ms at 4× CPU throttling, 480 ms of it compiling). With the hint V8 compiles the
 * whole chunk while it streams in, off the main thread; the same chunk then took 195 ms.
 */
export const EAGER_COMPILE_HINT = '//# allFunctionsCalledOnLoad\n';

/** Types worth compressing; fonts and images are compressed already. */
const compressible = new Set(['.js', '.css', '.map', '.json', '.svg', '.txt']);

interface Asset {
  type: string;
  body: Buffer;
  gzip?: Buffer;
}

export interface StaticAssets {
  (req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /**
   * Reads and gzips every file now, so the first visitor does not wait for it: after a start the first page
   * asks for some thirty files at once, and gzipping them as they were asked for ran on the server's main
   * thread between the requests of a burst. Resolves with the number of files held.
   */
  preload(): Promise<number>;
}

/**
 * Serves Next.js's build output under `/_next/static/` (`<staticDir>/…`) before Next.js sees the request.
 * These files are content-hashed and never change while the server runs, so each is read (and gzipped) once
 * (all of them at start, with `preload`) and kept in memory, and answered as immutable; scripts carry V8's
 * eager compile hint. Next.js would route, stat, read and compress each one again per request: under a burst
 * of posts that queued a page's CSS and scripts behind the API's work.
 * Resolves false (the caller hands the request to Next.js) for other paths, other methods and missing files.
 */
export function staticAssets(staticDir: string): StaticAssets {
  // resolve() drops a trailing separator: the folder given as a URL path (`…/static/`) must match too.
  const root = resolve(staticDir) + sep;
  const cache = new Map<string, Promise<Asset | null>>();

  function load(path: string): Promise<Asset | null> {
    let asset = cache.get(path);
    if (!asset) {
      asset = (async () => {
        const type = contentTypes[extname(path)] ?? 'application/octet-stream';
        const file = await readFile(path).catch(() => null);
        if (!file) return null;
        const body = extname(path) === '.js' ? Buffer.concat([Buffer.from(EAGER_COMPILE_HINT), file]) : file;
        return { type, body, gzip: compressible.has(extname(path)) ? await gzipped(body) : undefined };
      })();
      cache.set(path, asset);
      // A missing file is not remembered: a request for a file that appears later (none should) finds it.
      void asset.then((found) => {
        if (!found) cache.delete(path);
      });
    }
    return asset;
  }

  async function preload(): Promise<number> {
    const entries = await readdir(root, { recursive: true, withFileTypes: true });
    const files = entries
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
    const loaded = await Promise.all(files.map(load));
    return loaded.filter(Boolean).length;
  }

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !req.url?.startsWith(PREFIX)) return false;
    let relative: string;
    try {
      relative = decodeURIComponent(req.url.slice(PREFIX.length).split(/[?#]/)[0] ?? '');
    } catch {
      return false;
    }
    const path = normalize(join(root, relative));
    // `..` and absolute parts must not reach outside the build's static folder.
    if (!path.startsWith(root) || relative.includes('\0')) return false;
    const asset = await load(path);
    if (!asset) return false;
    const useGzip = asset.gzip !== undefined && acceptsGzip(req);
    const body = useGzip ? (asset.gzip as Buffer) : asset.body;
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': String(body.length),
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
      ...(useGzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
  return Object.assign(serve, { preload });
}
