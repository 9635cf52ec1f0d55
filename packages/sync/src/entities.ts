import * as z from 'zod/mini';
import { beingTypes, intentionStates, intentionTypes, visibilities } from './kinds.ts';

/** Public projections of domain rows: what sync events and catch-up carry. Never secrets. */

export const BeingViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(beingTypes),
  ownerId: z.nullable(z.string()),
  locationId: z.nullable(z.string()),
  content: z.string(),
  /** Present when `content` was left out for its size (see `content-ref.ts`): fetch it to show it. */
  contentRef: z.optional(z.object({ bytes: z.int().check(z.nonnegative()) })),
  properties: z.record(z.string(), z.unknown()),
  visibility: z.nullable(z.enum(visibilities)),
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
  messages: z.int().check(z.nonnegative()),
  read: z.int().check(z.nonnegative()),
});
export type SpaceActivity = z.infer<typeof SpaceActivitySchema>;
