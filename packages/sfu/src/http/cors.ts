import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

/** livekit-server (rs/cors, every origin allowed): the methods it lists, preflight cached for a day. */
const ALLOWED_METHODS = 'OPTIONS, HEAD, GET, POST, PATCH, DELETE';
const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * CORS headers as livekit-server sends them: the request's Origin echoed (with `Vary: Origin`), and
 * nothing when there is no Origin. livekit-client reads `/rtc/validate` cross-origin and gives up
 * without falling back when these are missing, so every plain HTTP response carries them.
 */
export function corsHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const origin = headers.origin;
  // Echoed into raw response bytes too (refused upgrades): only printable ASCII goes back.
  if (origin === undefined || !PRINTABLE.test(origin)) return {};
  const requested = headers['access-control-request-headers'];
  return {
    'Access-Control-Allow-Origin': origin,
    Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': requested !== undefined && PRINTABLE.test(requested) ? requested : '*',
    'Access-Control-Expose-Headers': '*',
    'Access-Control-Max-Age': '86400',
  };
}

/** Sets the CORS headers for the request this response answers. */
export function setCors(res: ServerResponse): void {
  for (const [name, value] of Object.entries(corsHeaders(res.req.headers))) res.setHeader(name, value);
}

export function writeText(res: ServerResponse, status: number, body: string): void {
  setCors(res);
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(body);
}
