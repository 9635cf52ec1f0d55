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
