import { TRPCClientError } from '@trpc/client';

/**
 * True when a call failed because the server could not be reached (offline, connection dropped, server
 * restarting): no answer came back, so the call may or may not have happened and trying again is safe only
 * for idempotent writes. A refusal from the server (any tRPC error code) is not a network error.
 */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof TRPCClientError) return !error.data;
  return error instanceof TypeError;
}

/** What people read instead of the browser's "Failed to fetch". */
export const NETWORK_ERROR_MESSAGE = 'The server could not be reached. Check your connection and try again.';
