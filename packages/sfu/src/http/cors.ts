import type { ServerResponse } from 'node:http';

/**
 * livekit-client reads `/rtc/validate` cross-origin and gives up without falling back when CORS
 * headers are missing, so every plain HTTP response carries them (as livekit-server allows all).
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, POST, OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Max-Age': '86400',
};

export function setCors(res: ServerResponse): void {
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
}

export function writeText(res: ServerResponse, status: number, body: string): void {
  setCors(res);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}
