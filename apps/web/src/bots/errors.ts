/**
 * Why a reply did not complete. The code is for programs and tests; the message is shown to people
 * under the reply, so it says what happened and what to do next.
 */
export type ReplyFailureCode =
  | 'no_key'
  | 'provider_error'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'rate_limited'
  | 'busy'
  | 'interrupted'
  | 'invalid_config';

export class BotReplyError extends Error {
  readonly code: ReplyFailureCode;

  constructor(code: ReplyFailureCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BotReplyError';
    this.code = code;
  }
}

export function isBotReplyError(error: unknown): error is BotReplyError {
  return error instanceof BotReplyError;
}

/** Any thrown value as a BotReplyError, so nothing unexplained reaches a reply. */
export function toBotReplyError(error: unknown): BotReplyError {
  if (isBotReplyError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new BotReplyError('provider_error', `The reply failed unexpectedly: ${detail}. Try again.`, {
    cause: error,
  });
}
