'use client';

import { createContext, useContext } from 'react';
import type { IntentionItem } from './types';

/**
 * What a person can do to a message in the space they are looking at. One stable object per space page,
 * given through context, so memoized messages do not re-render when a parent does.
 */
export interface MessageActions {
  /** The reader's being, or undefined for a visitor (who can do nothing but copy a link). */
  myBeingId: string | undefined;
  /** The owner of the space may delete any message in it. */
  spaceOwnerId: string | null;
  reply(intention: IntentionItem): void;
  edit(id: string, content: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** An absolute link that opens the space scrolled to this message. */
  linkTo(id: string): string;
}

export const MessageActionsContext = createContext<MessageActions | null>(null);

export function useMessageActions(): MessageActions | null {
  return useContext(MessageActionsContext);
}

/** The query parameter a message link carries. */
export const MESSAGE_PARAM = 'message';

export function messageLink(origin: string, spaceHref: string, id: string): string {
  return `${origin}${spaceHref}?${MESSAGE_PARAM}=${encodeURIComponent(id)}`;
}

/** Mirrors the server's rule (`canDeleteIntention`); the server checks again. */
export function mayDelete(actions: MessageActions, intention: IntentionItem): boolean {
  const me = actions.myBeingId;
  return Boolean(me) && (intention.ownerId === me || actions.spaceOwnerId === me);
}

/** Only people's own messages are edited: a bot's reply belongs to the bot. */
export function mayEdit(actions: MessageActions, intention: IntentionItem): boolean {
  return Boolean(actions.myBeingId) && intention.ownerId === actions.myBeingId;
}
