import type { IntentionView } from '@rhizom/sync';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Transaction } from '../db/database.ts';
import { type IntentionRow, intentions } from '../db/schema/index.ts';
import { accessOf, loadBeing, requireViewableSpace } from './access.ts';
import { countMessage } from './activity.ts';
import type { Viewer } from './actor.ts';
import { DomainError, notFound, signInRequired } from './errors.ts';
import { newIntentionId } from './ids.ts';
import { LIMITS } from './limits.ts';
import { type Page, toPage } from './page.ts';
import { canDeleteIntention, canEditIntention, canViewSpace } from './permissions.ts';
import { intentionView } from './projections.ts';
import {
  beingIdSchema,
  type CreateUtteranceInput,
  createUtteranceInput,
  type EditUtteranceInput,
  editUtteranceInput,
  type ListIntentionsInput,
  listIntentionsInput,
  propertiesSchema,
  type RemoveIntentionInput,
  removeIntentionInput,
} from './schemas.ts';
import { parseInput } from './validate.ts';
import type { Write, WriteScope } from './write.ts';

/** How much of the answered message a reply keeps, to quote it when the original is not loaded. */
const REPLY_EXCERPT_MAX = 200;

/**
 * What a reply stores of the message it answers, in its properties: the same `replyTo` and
 * `replyToAuthor` a bot's reply carries, plus a short excerpt to quote.
 */
function replyProperties(answered: IntentionRow): Record<string, string> {
  const text = answered.content.replace(/\s+/g, ' ').trim();
  const excerpt = text.length > REPLY_EXCERPT_MAX ? `${text.slice(0, REPLY_EXCERPT_MAX - 1)}…` : text;
  return { replyTo: answered.id, replyToAuthor: answered.ownerId, replyExcerpt: excerpt };
}

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
        const answered = input.replyTo ? await loadIntention(scope.tx, input.replyTo) : undefined;
        if (input.replyTo && answered?.locationId !== input.spaceId) {
          throw new DomainError('BAD_REQUEST', 'The message you reply to is not in this space any more.');
        }
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
            properties: answered ? replyProperties(answered) : {},
            createdAt: now,
            modifiedAt: now,
          })
          .onConflictDoNothing({ target: intentions.id })
          .returning();
        if (!row) throw new DomainError('CONFLICT', `A message with id ${input.id} exists already.`);
        emitIntentionUpsert(scope, row);
        await countMessage(scope, row.locationId, row.ownerId);
        return intentionView(row);
      });
      deps.onUtterance?.(utterance);
      return utterance;
    },

    /**
     * A person rewrites their own message. Marked `editedAt`; it is not a new utterance, so no bot
     * answers it (`onUtterance` is not called).
     */
    async editUtterance(actor: Viewer, raw: EditUtteranceInput): Promise<IntentionView> {
      if (!actor) throw signInRequired();
      const input = parseInput(editUtteranceInput, raw);
      return write(async (scope) => {
        const row = await loadViewableIntention(scope.tx, actor, input.id);
        if (!canEditIntention(actor, row)) {
          throw new DomainError('FORBIDDEN', 'Only the author of a message can edit it.');
        }
        const now = new Date();
        const [updated] = await scope.tx
          .update(intentions)
          .set({
            content: input.content,
            properties: { ...row.properties, editedAt: now.toISOString() },
            modifiedAt: now,
          })
          .where(eq(intentions.id, row.id))
          .returning();
        if (!updated) throw notFound(`Message ${input.id}`);
        emitIntentionUpsert(scope, updated);
        return intentionView(updated);
      });
    },

    /** Deletes a message: its author, the space's owner or a superuser. Everyone's copy drops it live. */
    async remove(actor: Viewer, raw: RemoveIntentionInput): Promise<{ id: string }> {
      if (!actor) throw signInRequired();
      const input = parseInput(removeIntentionInput, raw);
      return write(async (scope) => {
        const row = await loadViewableIntention(scope.tx, actor, input.id);
        const space = await loadBeing(scope.tx, row.locationId);
        if (!space || !canDeleteIntention(actor, row, space)) {
          throw new DomainError(
            'FORBIDDEN',
            'Only the author of a message, the owner of its space or a superuser can delete it.',
          );
        }
        await scope.tx.delete(intentions).where(eq(intentions.id, row.id));
        scope.emit({ space: row.locationId, type: 'intention.remove', entity: { id: row.id } });
        return { id: row.id };
      });
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
        await countMessage(scope, row.locationId, row.ownerId);
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

async function loadIntention(tx: Transaction, id: string): Promise<IntentionRow | undefined> {
  // Locked, so an edit and a delete of one message (or two edits) apply one after the other.
  const [row] = await tx.select().from(intentions).where(eq(intentions.id, id)).limit(1).for('update');
  return row;
}

/** A message in a space the actor may see, or NOT_FOUND (the same answer as for one that does not exist). */
async function loadViewableIntention(tx: Transaction, actor: Viewer, id: string): Promise<IntentionRow> {
  const row = await loadIntention(tx, id);
  if (!row) throw notFound(`Message ${id}`);
  try {
    await requireViewableSpace(tx, actor, row.locationId);
  } catch (error) {
    // The space's own name must not leak through a message id.
    throw error instanceof DomainError && error.code === 'NOT_FOUND' ? notFound(`Message ${id}`) : error;
  }
  return row;
}

export type IntentionService = ReturnType<typeof createIntentionService>;
