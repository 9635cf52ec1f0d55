import type { BeingType } from '@rhizom/sync';
import type { ContextEntry } from './context.ts';
import type { ReplyFailure } from './reply.ts';

/** A bot being as the runner needs it. */
export interface BotBeing {
  id: string;
  name: string;
  ownerId: string | null;
  properties: Record<string, unknown>;
}

export type FinalReplyState = 'complete' | 'failed' | 'cancelled';

/**
 * Everything the runner reads and writes, in the domain's terms. The implementation writes only through
 * the domain services, so each change is one transaction with its sync event. Reply writes are
 * conditional: they return false when the reply is no longer `active` (stopped by another process, or
 * deleted), which tells the runner to stop quietly.
 */
export interface BotStore {
  authorType(beingId: string): Promise<BeingType | null>;
  /** The bots located in a space whose owner may see it: only those may answer there. */
  botsIn(spaceId: string): Promise<BotBeing[]>;
  /**
   * Whether a bot may answer in a space now: it is still there and its owner may still see it. The
   * conversation goes to a provider its owner chose, so never for a space the owner cannot read.
   */
  mayAnswer(botId: string, spaceId: string): Promise<boolean>;
  readKey(botId: string): Promise<string | null>;
  /** Newest first. */
  recentIntentions(spaceId: string, limit: number): Promise<ContextEntry[]>;
  createReply(input: {
    botId: string;
    spaceId: string;
    replyTo: string;
    provider: { label: string; offline: boolean };
    /** Create the reply already failed (bad configuration, rate limit) instead of `active`. */
    failure?: ReplyFailure;
  }): Promise<string>;
  /** Adds text to the end of an active reply; false once the reply is no longer active. */
  appendToReply(replyId: string, text: string): Promise<boolean>;
  finishReply(
    replyId: string,
    result: { state: FinalReplyState; content: string; failure?: ReplyFailure },
  ): Promise<boolean>;
  /** Mark every bot reply still `active` and created before `createdBefore` as failed; returns how many. */
  failStaleReplies(createdBefore: Date, failure: ReplyFailure): Promise<number>;
}
