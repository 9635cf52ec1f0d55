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
  /** What the provider or the network said, for the log only: replies are seen by the whole space. */
  readonly detail: string | undefined;

  constructor(code: ReplyFailureCode, message: string, options?: { cause?: unknown; detail?: string }) {
    super(message, options);
    this.name = 'BotReplyError';
    this.code = code;
    this.detail = options?.detail;
  }
}

export function isBotReplyError(error: unknown): error is BotReplyError {
  return error instanceof BotReplyError;
}

/** Any thrown value as a BotReplyError, so nothing unexplained reaches a reply. */
export function toBotReplyError(error: unknown): BotReplyError {
  if (isBotReplyError(error)) return error;
  return new BotReplyError('provider_error', 'The reply failed unexpectedly. Try again.', { cause: error });
}
