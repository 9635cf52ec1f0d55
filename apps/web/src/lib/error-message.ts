import { isNetworkError, NETWORK_ERROR_MESSAGE } from './network-error';

/**
 * The server's own words for a failed call (tRPC errors carry clear messages), plain words when the server
 * could not be reached (never the browser's "Failed to fetch"), or a generic fallback.
 */
export function errorMessage(error: unknown, fallback = 'Something went wrong. Try again.'): string {
  if (isNetworkError(error)) return NETWORK_ERROR_MESSAGE;
  if (!(error instanceof Error) || !error.message) return fallback;
  return firstIssue(error.message) ?? error.message;
}

/** Input validation errors may arrive as a JSON list of zod issues; people need the first one's text. */
function firstIssue(message: string): string | undefined {
  if (!message.startsWith('[')) return undefined;
  try {
    const issues = JSON.parse(message) as Array<{ message?: unknown }>;
    const text = issues[0]?.message;
    return typeof text === 'string' ? text : undefined;
  } catch {
    return undefined;
  }
}

/** tRPC's error code (NOT_FOUND, UNAUTHORIZED, …) when the error came from the API. */
export function errorCode(error: unknown): string | undefined {
  return (error as { data?: { code?: string } } | null)?.data?.code;
}
