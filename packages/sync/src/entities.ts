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
