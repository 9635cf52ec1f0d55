import { beingTypes, visibilities } from '@rhizom/sync';
import { z } from 'zod';
import { creatableTypes } from './being-types.ts';
import { BEING_ID_PATTERN, BEING_ID_RULE } from './ids.ts';
import { LIMITS } from './limits.ts';
import { jsonShapeProblem, textInJsonProblem, textProblem, withoutInvisibleControls } from './text.ts';

/** Input shapes shared by the domain services and the tRPC routers: one definition of every rule. */

export const beingIdSchema = z.string().regex(BEING_ID_PATTERN, BEING_ID_RULE);

/** Text the database and every client can store and show: no NUL, no unpaired UTF-16 surrogate. */
const textSchema = z.string().refine((value) => textProblem(value) === null, {
  error: (issue) => textProblem(issue.input as string) ?? 'Invalid text.',
});

export const nameSchema = textSchema
  .transform(withoutInvisibleControls)
  .pipe(
    z
      .string()
      .trim()
      .min(1, 'A name cannot be empty.')
      .max(LIMITS.nameMax, `A name can be at most ${LIMITS.nameMax} characters.`),
  );

export const beingContentSchema = textSchema.refine(
  (value) => value.length <= LIMITS.beingContentMax,
  `Content can be at most ${LIMITS.beingContentMax} characters.`,
);

/**
 * Free-form JSON settings of a being or intention (what a bot's config, for one, is stored as). Shape is
 * checked before size, without recursion, so a deeply nested value is refused instead of overflowing the stack.
 */
export const propertiesSchema = z.record(z.string(), z.unknown()).superRefine((value, context) => {
  const problem = jsonShapeProblem(value) ?? textInJsonProblem(value);
  if (problem) {
    context.addIssue({ code: 'custom', message: problem, abort: true });
    return;
  }
  if (Buffer.byteLength(JSON.stringify(value)) > LIMITS.propertiesMaxBytes) {
    context.addIssue({
      code: 'custom',
      message: `Properties can be at most ${LIMITS.propertiesMaxBytes} bytes of JSON.`,
    });
  }
});

export const visibilitySchema = z.enum(visibilities);

/** People get their `guest` being at sign-in; the API creates the other types. */
export const creatableTypeSchema = z.enum(creatableTypes);

export const createBeingInput = z.strictObject({
  id: beingIdSchema.optional(),
  name: nameSchema,
  type: creatableTypeSchema,
  locationId: beingIdSchema.nullish(),
  content: beingContentSchema.optional(),
  properties: propertiesSchema.optional(),
  visibility: visibilitySchema.optional(),
});
export type CreateBeingInput = z.input<typeof createBeingInput>;

/** Strict: owner, type, location and timestamps are not editable here, and naming one is an error. */
export const updateBeingInput = z.strictObject(
  {
    id: beingIdSchema,
    name: nameSchema.optional(),
    content: beingContentSchema.optional(),
    properties: propertiesSchema.optional(),
    visibility: visibilitySchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `An update can change name, content, properties and visibility only, not ${issue.keys.join(', ')}. Use move to change a location.`
        : undefined,
  },
);
export type UpdateBeingInput = z.input<typeof updateBeingInput>;

export const moveBeingInput = z.strictObject({ id: beingIdSchema, locationId: beingIdSchema.nullable() });
export type MoveBeingInput = z.input<typeof moveBeingInput>;

export const pageInput = {
  cursor: textSchema.pipe(z.string().max(200)).nullish(),
  limit: z.number().int().min(1).max(LIMITS.pageMax).default(LIMITS.pageDefault),
};

export const searchBeingsInput = z.strictObject({
  query: textSchema.pipe(z.string().trim().max(LIMITS.nameMax)).default(''),
  type: z.enum(beingTypes).optional(),
  ...pageInput,
});
export type SearchBeingsInput = z.input<typeof searchBeingsInput>;

export const listInLocationInput = z.strictObject({ locationId: beingIdSchema, ...pageInput });
export type ListInLocationInput = z.input<typeof listInLocationInput>;

export const utteranceContentSchema = textSchema
  .refine((value) => value.trim().length > 0, 'A message cannot be empty.')
  .refine(
    (value) => value.length <= LIMITS.utteranceMax,
    `A message can be at most ${LIMITS.utteranceMax.toLocaleString('en')} characters.`,
  );

export const createUtteranceInput = z.strictObject({
  spaceId: beingIdSchema,
  content: utteranceContentSchema,
  /** Optional client-chosen id, so an optimistic message can be matched with its sync event. */
  id: z.uuid().optional(),
  /** The message this one answers (in the same space); it is shown quoted above the reply. */
  replyTo: z.string().min(1).max(100).optional(),
});
export type CreateUtteranceInput = z.input<typeof createUtteranceInput>;

export const intentionIdSchema = z.string().min(1).max(100);

export const editUtteranceInput = z.strictObject({ id: intentionIdSchema, content: utteranceContentSchema });
export type EditUtteranceInput = z.input<typeof editUtteranceInput>;

export const removeIntentionInput = z.strictObject({ id: intentionIdSchema });
export type RemoveIntentionInput = z.input<typeof removeIntentionInput>;

export const listIntentionsInput = z.strictObject({ spaceId: beingIdSchema, ...pageInput });
export type ListIntentionsInput = z.input<typeof listIntentionsInput>;

export const spaceMemberInput = z.strictObject({ spaceId: beingIdSchema, beingId: beingIdSchema });
export const spaceInput = z.strictObject({ spaceId: beingIdSchema });
