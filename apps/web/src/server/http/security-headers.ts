/**
 * Headers on every response. The CSP allows scripts and styles from this origin plus the inline ones
 * Next.js writes into each page (a nonce would make every page dynamic); connections to this origin and
 * to the LiveKit server browsers use; images only from this origin, `data:` and `blob:`, so a remote
 * image in someone's Markdown is never fetched by another person's browser (see components/markdown).
 * Nothing may frame the app.
 */
export function securityHeaders(options: { livekitUrl?: string; dev: boolean }): Record<string, string> {
  const connect = ["'self'", ...livekitOrigins(options.livekitUrl)];
  const scripts = ["'self'", "'unsafe-inline'", ...(options.dev ? ["'unsafe-eval'"] : [])];
  const policy = [
    "default-src 'self'",
    `script-src ${scripts.join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    'content-security-policy': policy,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}

/** The LiveKit server's origin in both schemes the SDK uses: WebSocket for signalling, HTTP for validation. */
function livekitOrigins(raw: string | undefined): string[] {
  if (!raw) return [];
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  const secure = url.protocol === 'wss:' || url.protocol === 'https:';
  return [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`];
}
