/**
 * Size limits, enforced by the domain (and by the API's input schemas, which reuse them).
 * They bound what one write can cost every client of a space.
 */
export const LIMITS = {
  /** A being's display name. */
  nameMax: 100,
  /** A being id: `@` and up to 63 characters (`BEING_ID_PATTERN` in ids.ts). */
  beingIdMax: 64,
  /** An utterance posted by a person: about three pages of text. */
  utteranceMax: 10_000,
  /** A bot's streamed reply may run longer than what a person types. */
  botReplyMax: 100_000,
  /** A being's Markdown content (a document's body, a space's description). */
  beingContentMax: 100_000,
  /** A being's or intention's properties, serialised as JSON. */
  propertiesMaxBytes: 16_384,
  /** ...nested at most this deep (the record itself is level 1)... */
  propertiesMaxDepth: 16,
  /** ...with at most this many keys and array items in all. */
  propertiesMaxKeys: 1_000,
  /** A provider API key. */
  apiKeyMax: 1_000,
  /** Page size of list and search queries. */
  pageMax: 100,
  pageDefault: 50,
} as const;
