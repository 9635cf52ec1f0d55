import type { Instant } from '@/lib/format-time';

/**
 * What the space page renders: live sync (`useLiveSpaceData`) and the members query both produce these
 * shapes, so the components never care where the data came from.
 */
export interface BeingItem {
  id: string;
  name: string;
  type: 'guest' | 'space' | 'bot' | 'document';
  ownerId: string | null;
  locationId: string | null;
  content: string;
  visibility?: 'public' | 'private' | null;
}

export interface IntentionItem {
  id: string;
  ownerId: string;
  content: string;
  state: 'draft' | 'active' | 'paused' | 'complete' | 'cancelled' | 'failed';
  /** Bot replies keep what wrote them, the message they answer and why they failed here. */
  properties?: Record<string, unknown>;
  createdAt: Instant;
}
