import type { BeingType, IntentionState, Visibility } from '@rhizom/sync';
import type { Instant } from '@/lib/format-time';

/**
 * What the space page renders: live sync (`useLiveSpaceData`) and the members query both produce these
 * shapes, so the components never care where the data came from.
 */
export interface BeingItem {
  id: string;
  name: string;
  type: BeingType;
  ownerId: string | null;
  locationId: string | null;
  content: string;
  visibility?: Visibility | null;
  /** The version of the row (its last change), when the source gives it. */
  modifiedAt?: string;
  /** Set when sync left the content out for its size (`content` is then empty): fetch the being to show it. */
  contentRef?: { bytes: number };
}

export interface IntentionItem {
  id: string;
  ownerId: string;
  content: string;
  state: IntentionState;
  /** Bot replies keep what wrote them, the message they answer and why they failed here. */
  properties?: Record<string, unknown>;
  createdAt: Instant;
}
