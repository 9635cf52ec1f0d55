/** Largest request bodies, by route, in bytes (see `config.ts` for the variables). */
export interface BodyLimits {
  trpc: number;
  auth: number;
  webhook: number;
  /** Every other route: pages take no bodies, so this stays small. */
  other: number;
}

export const defaultBodyLimits: BodyLimits = {
  trpc: 1024 * 1024,
  auth: 64 * 1024,
  webhook: 64 * 1024,
  other: 64 * 1024,
};

/** Whether `pathname` is `prefix` itself or a path below it. */
export function isUnder(pathname: string, prefix: string): boolean {
  return pathname === prefix || pathname.startsWith(`${prefix}/`);
}

/** The limit that applies to a request path. */
export function bodyLimitFor(pathname: string, limits: BodyLimits): number {
  if (isUnder(pathname, '/api/trpc')) return limits.trpc;
  if (isUnder(pathname, '/api/auth')) return limits.auth;
  if (pathname === '/api/livekit/webhook') return limits.webhook;
  return limits.other;
}

export function tooLargeMessage(limit: number): string {
  return `Request body too large: this endpoint accepts at most ${formatBytes(limit)}. Send less data (split it, or post a document in parts).`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}
