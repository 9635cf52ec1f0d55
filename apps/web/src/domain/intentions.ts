import type { IntentionView } from '@rhizom/sync';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { type IntentionRow, intentions } from '../db/schema/index.ts';
import { accessOf, loadBeing, requireViewableSpace } from './access.ts';
import type { Viewer } from './actor.ts';
import { DomainError, notFound, signInRequired } from './errors.ts';
import { newIntentionId } from './ids.ts';
import { LIMITS } from './limits.ts';
import { type Page, toPage } from './page.ts';
import { canViewSpace } from './permissions.ts';
import { intentionView } from './projections.ts';
import {
  beingIdSchema,
  type CreateUtteranceInput,
  createUtteranceInput,
  type ListIntentionsInput,
  listIntentionsInput,
  propertiesSchema,
} from './schemas.ts';
import { parseInput } from './validate.ts';
import type { Write, WriteScope } from './write.ts';

const stateSchema = z.enum(['draft', 'active', 'paused', 'complete', 'cancelled', 'failed']);
export type IntentionState = z.infer<typeof stateSchema>;

const replyContentSchema = z
  .string()
  .max(LIMITS.botReplyMax, `A reply can be at most ${LIMITS.botReplyMax.toLocaleString('en')} characters.`);

/** For server-side writers (bots): an utterance by `ownerId` in `spaceId`, e.g. an `active` reply. */
const createIntentionInput = z.strictObject({
  ownerId: beingIdSchema,
  spaceId: beingIdSchema,
  content: replyContentSchema.default(''),
  state: stateSchema.default('active'),
  properties: propertiesSchema.default({}),
});
export type CreateIntentionInput = z.input<typeof createIntentionInput>;

/** For server-side writers: replace or append content, change state, replace properties. */
const updateIntentionInput = z
  .strictObject({
    content: replyContentSchema.optional(),
    append: replyContentSchema.optional(),
    state: stateSchema.optional(),
    properties: propertiesSchema.optional(),
    /** Write only if the intention is in this state now, else CONFLICT (a reply stopped by someone else). */
    ifState: stateSchema.optional(),
  })
  .refine((input) => input.content === undefined || input.append === undefined, {
    message: 'Give either content or append, not both.',
  });
export type UpdateIntentionInput = z.input<typeof updateIntentionInput>;

function emitIntentionUpsert(scope: WriteScope, row: IntentionRow): void {
  scope.emit({ space: row.locationId, type: 'intention.upsert', entity: intentionView(row) });
}

/** A streamed reply's growth costs its new text, not the whole reply, on every client. */
function emitIntentionAppend(scope: WriteScope, row: IntentionRow, text: string): void {
  scope.emit({
    space: row.locationId,
    type: 'intention.append',
    entity: {
      id: row.id,
      offset: row.content.length - text.length,
      text,
      state: row.state,
      modifiedAt: row.modifiedAt.toISOString(),
    },
  });
}

export function createIntentionService(deps: {
  db: Database;
  write: Write;
  /** Hears each person's utterance after it commits (the bot runner queues replies from here). */
  onUtterance?: (utterance: IntentionView) => void;
}) {
  const { db, write } = deps;

  return {
    /** A person's message: needs a session and sight of the space; it is complete at once. */
    async createUtterance(actor: Viewer, raw: CreateUtteranceInput): Promise<IntentionView> {
      if (!actor) throw signInRequired();
      const input = parseInput(createUtteranceInput, raw);
      const utterance = await write(async (scope) => {
        await requireViewableSpace(scope.tx, actor, input.spaceId);
        const now = new Date();
        const [row] = await scope.tx
          .insert(intentions)
          .values({
            id: input.id ?? newIntentionId(),
            type: 'utterance',
            state: 'complete',
            ownerId: actor.beingId,
            locationId: input.spaceId,
            content: input.content,
            properties: {},
            createdAt: now,
            modifiedAt: now,
          })
          .onConflictDoNothing({ target: intentions.id })
          .returning();
        if (!row) throw new DomainError('CONFLICT', `A message with id ${input.id} exists already.`);
        emitIntentionUpsert(scope, row);
        return intentionView(row);
      });
      deps.onUtterance?.(utterance);
      return utterance;
    },

    /** Newest first. The cursor is the id of the last intention of the previous page. */
    async list(viewer: Viewer, raw: ListIntentionsInput): Promise<Page<IntentionView>> {
      const input = parseInput(listIntentionsInput, raw);
      await requireViewableSpace(db, viewer, input.spaceId);
      const rows = await db
        .select()
        .from(intentions)
        .where(
          and(
            eq(intentions.locationId, input.spaceId),
            input.cursor
              ? sql`(${intentions.createdAt}, ${intentions.id}) < (select c.created_at, c.id from ${intentions} c where c.id = ${input.cursor})`
              : undefined,
          ),
        )
        .orderBy(desc(intentions.createdAt), desc(intentions.id))
        .limit(input.limit + 1);
      return toPage(rows, input.limit, intentionView, (row) => row.id);
    },

    async get(viewer: Viewer, id: string): Promise<IntentionView> {
      const [row] = await db.select().from(intentions).where(eq(intentions.id, id)).limit(1);
      if (!row) throw notFound(`Intention ${id}`);
      const space = await loadBeing(db, row.locationId);
      if (!space || !canViewSpace(viewer, await accessOf(db, viewer, space)))
        throw notFound(`Intention ${id}`);
      return intentionView(row);
    },

    /** Server-side only (no API route): bots create their replies with this. */
    async create(raw: CreateIntentionInput): Promise<IntentionView> {
      const input = parseInput(createIntentionInput, raw);
      return write(async (scope) => {
        const space = await loadBeing(scope.tx, input.spaceId);
        if (space?.type !== 'space') throw notFound(`Space ${input.spaceId}`);
        const now = new Date();
        const [row] = await scope.tx
          .insert(intentions)
          .values({
            id: newIntentionId(),
            type: 'utterance',
            state: input.state,
            ownerId: input.ownerId,
            locationId: space.id,
            content: input.content,
            properties: input.properties,
            createdAt: now,
            modifiedAt: now,
          })
          .returning();
        if (!row) throw new Error('insert into intentions returned no row');
        emitIntentionUpsert(scope, row);
        return intentionView(row);
      });
    },

    /**
     * Server-side only: streams a reply (append), settles it (state) or rewrites it. Appending is done in
     * SQL, so concurrent appends never lose text; the content limit holds for the result.
     */
    async update(id: string, raw: UpdateIntentionInput): Promise<IntentionView> {
      const input = parseInput(updateIntentionInput, raw);
      return write(async (scope) => {
        const content =
          input.append !== undefined ? sql`${intentions.content} || ${input.append}` : input.content;
        const [row] = await scope.tx
          .update(intentions)
          .set({ content, state: input.state, properties: input.properties, modifiedAt: new Date() })
          .where(and(eq(intentions.id, id), input.ifState ? eq(intentions.state, input.ifState) : undefined))
          .returning();
        if (!row && input.ifState)
          throw new DomainError('CONFLICT', `Intention ${id} is no longer ${input.ifState}.`);
        if (!row) throw notFound(`Intention ${id}`);
        if (row.content.length > LIMITS.botReplyMax) {
          throw new DomainError('BAD_REQUEST', `A reply can be at most ${LIMITS.botReplyMax} characters.`);
        }
        if (input.append !== undefined && input.content === undefined && input.properties === undefined) {
          emitIntentionAppend(scope, row, input.append);
        } else {
          emitIntentionUpsert(scope, row);
        }
        return intentionView(row);
      });
    },
  };
}

export type IntentionService = ReturnType<typeof createIntentionService>;
