import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBodyLimits } from '../../src/server/http/body-limit.ts';
import { parseTrustProxy } from '../../src/server/http/client-address.ts';
import { guardRequest } from '../../src/server/http/guard.ts';

/**
 * The request guard in front of a real HTTP server whose app would buffer any body it is given (as tRPC,
 * better-auth and the webhook route do). Oversized bodies must be refused while they stream, with the
 * server's memory bounded, and the app must never see them.
 */
let server: Server;
let base: string;
const seen: Array<{ path: string; bytes: number; forwardedFor: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    guardRequest(req, res, { trustProxy: parseTrustProxy(undefined), bodyLimits: defaultBodyLimits }).then(
      async (forApp) => {
        if (!forApp) return;
        const chunks: Buffer[] = [];
        for await (const chunk of forApp) chunks.push(chunk as Buffer);
        const bytes = Buffer.concat(chunks).length;
        seen.push({
          path: forApp.url ?? '',
          bytes,
          forwardedFor: forApp.headers['x-forwarded-for'] as string,
        });
        res.end(JSON.stringify({ bytes }));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Outcome {
  status: number | null;
  body: string;
  sentBytes: number;
  error: string | null;
}

/** Streams `totalBytes` of body in 64 KB chunks (chunked, or with a declared length), as fast as the socket takes them. */
function upload(path: string, totalBytes: number, declareLength: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sentBytes = 0;
    let status: number | null = null;
    let body = '';
    let settled = false;
    const done = (error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, body, sentBytes, error });
    };
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(declareLength ? { 'content-length': String(totalBytes) } : {}),
      },
    });
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        body += text;
      });
      res.on('end', () => done(null));
      res.on('error', (error) => done(error.message));
    });
    req.on('error', (error) => done(error.message));
    const pump = () => {
      while (sentBytes < totalBytes && !req.destroyed) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
}

describe('request guard', () => {
  it.each([
    ['chunked', false],
    ['with a declared length', true],
  ])(
    'refuses a 200 MB body %s while it streams, memory bounded, the app never sees it',
    async (_how, declare) => {
      const rssBefore = process.memoryUsage().rss;
      const before = seen.length;
      const outcome = await upload('/api/trpc/being.create', 200 * 1024 * 1024, declare);
      const grown = process.memoryUsage().rss - rssBefore;
      // The connection is cut long before 200 MB went up; the client read a 413 or saw the cut.
      expect(outcome.sentBytes).toBeLessThan(50 * 1024 * 1024);
      if (outcome.status !== null) {
        expect(outcome.status).toBe(413);
        expect(outcome.body).toContain('Request body too large: this endpoint accepts at most 1 MB');
      } else {
        expect(outcome.error).toMatch(/ECONNRESET|EPIPE|socket hang up/);
      }
      expect(seen.length).toBe(before);
      expect(grown).toBeLessThan(64 * 1024 * 1024);
    },
  );

  it('answers 413 with a readable message to a declared oversized auth body, before reading it', async () => {
    const outcome = await upload('/api/auth/sign-in/email', 65 * 1024, true);
    expect(outcome.status).toBe(413);
    expect(JSON.parse(outcome.body)).toEqual({
      error: {
        status: 413,
        message:
          'Request body too large: this endpoint accepts at most 64 KB. Send less data (split it, or post a document in parts).',
      },
    });
  });

  it('passes bodies within the limit through whole', async () => {
    const outcome = await upload('/api/trpc/being.create', 1024 * 1024, false);
    expect(outcome.status).toBe(200);
    expect(JSON.parse(outcome.body)).toEqual({ bytes: 1024 * 1024 });
  });

  it('replaces a spoofed X-Forwarded-For with the socket address', async () => {
    const response = await fetch(`${base}/api/auth/get-session`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '6.6.6.6', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(200);
    expect(seen.at(-1)?.forwardedFor).toBe('127.0.0.1');
  });
});
