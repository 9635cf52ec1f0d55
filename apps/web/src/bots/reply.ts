import type { ReplyFailureCode } from './errors.ts';

/**
 * What a bot reply keeps in its intention's `properties`. Plain data, no server imports: the UI reads
 * the same shape to label the reply, show its failure and offer Stop to the right person.
 */
export interface ReplyProperties {
  /** The intention this reply answers; its author may stop the reply. */
  replyTo: string;
  /** The being who wrote that intention, kept so the UI knows whom to offer Stop (the server re-checks). */
  replyToAuthor: string | null;
  /** What writes the reply, e.g. `offline bot (no model configured)` or `openrouter.ai · gpt-4o-mini`. */
  provider: string;
  offline: boolean;
  /** Set when the reply ended in `failed` or `cancelled`: a sentence for people, and a code for programs. */
  error?: string;
  errorCode?: ReplyFailureCode;
}

export interface ReplyFailure {
  code: ReplyFailureCode;
  message: string;
}

export function readReplyProperties(properties: Record<string, unknown>): ReplyProperties | null {
  const { replyTo, replyToAuthor, provider, offline, error, errorCode } = properties;
  if (typeof replyTo !== 'string' || typeof provider !== 'string') return null;
  return {
    replyTo,
    replyToAuthor: typeof replyToAuthor === 'string' ? replyToAuthor : null,
    provider,
    offline: offline === true,
    ...(typeof error === 'string' ? { error } : {}),
    ...(typeof errorCode === 'string' ? { errorCode: errorCode as ReplyFailureCode } : {}),
  };
}
