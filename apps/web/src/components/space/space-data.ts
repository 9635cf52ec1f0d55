import type { BeingItem, IntentionItem } from './types';

/**
 * What the space page gets besides the space itself. `useLiveSpaceData` provides it; the components
 * depend only on this shape, never on where the data came from.
 */
export interface SpaceData {
  /** Beings in the space: those located in it and its members, once each. */
  beings: BeingItem[];
  /** Oldest first. */
  intentions: IntentionItem[];
  status: 'loading' | 'error' | 'ready';
  error: string | undefined;
  retry: () => void;
  history: { hasEarlier: boolean; loadingEarlier: boolean; loadEarlier: () => void };
  /** `replyTo`: the id of the message this one answers. */
  post: (content: string, replyTo?: string) => Promise<void>;
  /** Rewrites one of the reader's messages; everyone sees it through sync. */
  edit: (id: string, content: string) => Promise<void>;
  /** Deletes a message (the reader's own, or any in a space they own). */
  remove: (id: string) => Promise<void>;
}
