/**
 * The one list of being types, intention types and states, and space visibilities: the database enums,
 * the API's input schemas and the UI types all derive from these. What each being type may do is in
 * `apps/web/src/domain/being-types.ts`. A module of its own, without zod, so a page that only needs
 * these lists does not load and run the schemas (`@rhizom/sync/kinds`).
 */
export const beingTypes = ['guest', 'space', 'bot', 'document'] as const;
export type BeingType = (typeof beingTypes)[number];
export const visibilities = ['public', 'private'] as const;
export type Visibility = (typeof visibilities)[number];
export const intentionTypes = ['utterance'] as const;
export const intentionStates = ['draft', 'active', 'paused', 'complete', 'cancelled', 'failed'] as const;
export type IntentionState = (typeof intentionStates)[number];
