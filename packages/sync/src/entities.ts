import { z } from 'zod';

/** Public projections of domain rows: what sync events and catch-up carry. Never secrets. */

/**
 * The one list of being types, intention types and states, and space visibilities: the database enums,
 * the API's input schemas and the UI types all derive from these. What each being type may do is in
 * `apps/web/src/domain/being-types.ts`.
 */
export const beingTypes = ['guest', 'space', 'bot', 'document'] as const;
export type BeingType = (typeof beingTypes)[number];
export const visibilities = ['public', 'private'] as const;
export type Visibility = (typeof visibilities)[number];
export const intentionTypes = ['utterance'] as const;
export const intentionStates = ['draft', 'active', 'paused', 'complete', 'cancelled', 'failed'] as const;
export type IntentionState = (typeof intentionStates)[number];

export const BeingViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(beingTypes),
  ownerId: z.string().nullable(),
  locationId: z.string().nullable(),
  content: z.string(),
  /** Present when `content` was left out for its size (see `content-ref.ts`): fetch it to show it. */
  contentRef: z.object({ bytes: z.number().int().nonnegative() }).optional(),
  properties: z.record(z.string(), z.unknown()),
  visibility: z.enum(visibilities).nullable(),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type BeingView = z.infer<typeof BeingViewSchema>;

export const IntentionViewSchema = z.object({
  id: z.string(),
  type: z.enum(intentionTypes),
  state: z.enum(intentionStates),
  ownerId: z.string(),
  locationId: z.string(),
  content: z.string(),
  properties: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  modifiedAt: z.string(),
});
export type IntentionView = z.infer<typeof IntentionViewSchema>;

/**
 * How far one being has read one space: `messages` posted there so far, `read` of them when it last
 * looked. Unread is `messages − read`. Carried only by that being's own (personal) stream.
 */
export const SpaceActivitySchema = z.object({
  id: z.string(),
  messages: z.number().int().nonnegative(),
  read: z.number().int().nonnegative(),
});
export type SpaceActivity = z.infer<typeof SpaceActivitySchema>;
