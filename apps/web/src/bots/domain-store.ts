import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Database } from '../db/database.ts';
import { beings, intentions } from '../db/schema/index.ts';
import { type Domain, DomainError } from '../domain/index.ts';
import type { UpdateIntentionInput } from '../domain/intentions.ts';
import type { ReplyProperties } from './reply.ts';
import type { BotStore } from './store.ts';

/**
 * The runner's store on the real domain: reads with plain queries, every write through the intention
 * and secret services, so each change commits with its sync event and reaches clients as a delta.
 */
/** A conditional write's outcome: false when the reply had already left `active` (stopped elsewhere, deleted). */
async function stillActive(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'CONFLICT') return false;
    throw error;
  }
}

export function createDomainBotStore(options: { db: Database; domain: Domain }): BotStore {
  const { db, domain } = options;

  const readProperties = async (replyId: string) => {
    const [row] = await db
      .select({ state: intentions.state, properties: intentions.properties })
      .from(intentions)
      .where(eq(intentions.id, replyId))
      .limit(1);
    return row;
  };

  return {
    async authorType(beingId) {
      const [row] = await db
        .select({ type: beings.type })
        .from(beings)
        .where(eq(beings.id, beingId))
        .limit(1);
      return row?.type ?? null;
    },

    async botsIn(spaceId) {
      const bots = await db
        .select({ id: beings.id, name: beings.name, ownerId: beings.ownerId, properties: beings.properties })
        .from(beings)
        .where(and(eq(beings.locationId, spaceId), eq(beings.type, 'bot')))
        .orderBy(beings.id);
      const allowed = await Promise.all(bots.map((bot) => domain.spaces.mayView(bot.ownerId, spaceId)));
      return bots.filter((_, index) => allowed[index]);
    },

    async mayAnswer(botId, spaceId) {
      const [bot] = await db
        .select({ ownerId: beings.ownerId, locationId: beings.locationId })
        .from(beings)
        .where(eq(beings.id, botId))
        .limit(1);
      return bot?.locationId === spaceId && (await domain.spaces.mayView(bot.ownerId, spaceId));
    },

    readKey: (botId) => domain.botSecrets.readApiKey(botId),

    async recentIntentions(spaceId, limit) {
      const author = alias(beings, 'author');
      const rows = await db
        .select({
          id: intentions.id,
          authorId: intentions.ownerId,
          authorName: author.name,
          authorType: author.type,
          content: intentions.content,
          state: intentions.state,
        })
        .from(intentions)
        .leftJoin(author, eq(author.id, intentions.ownerId))
        .where(eq(intentions.locationId, spaceId))
        .orderBy(desc(intentions.createdAt), desc(intentions.id))
        .limit(limit);
      return rows.map((row) => ({
        ...row,
        // An author who was deleted still said what they said.
        authorName: row.authorName ?? row.authorId,
        authorType: row.authorType ?? 'guest',
      }));
    },

    async createReply(input) {
      const [trigger] = await db
        .select({ ownerId: intentions.ownerId })
        .from(intentions)
        .where(eq(intentions.id, input.replyTo))
        .limit(1);
      const properties: ReplyProperties = {
        replyTo: input.replyTo,
        replyToAuthor: trigger?.ownerId ?? null,
        provider: input.provider.label,
        offline: input.provider.offline,
        ...(input.failure ? { error: input.failure.message, errorCode: input.failure.code } : {}),
      };
      const reply = await domain.intentions.create({
        ownerId: input.botId,
        spaceId: input.spaceId,
        state: input.failure ? 'failed' : 'active',
        content: '',
        properties: { ...properties },
      });
      return reply.id;
    },

    async appendToReply(replyId, text) {
      return stillActive(domain.intentions.update(replyId, { append: text, ifState: 'active' }));
    },

    async finishReply(replyId, result) {
      const current = await readProperties(replyId);
      if (current?.state !== 'active') return false;
      const properties = {
        ...current.properties,
        ...(result.failure ? { error: result.failure.message, errorCode: result.failure.code } : {}),
      } as UpdateIntentionInput['properties'];
      return stillActive(
        domain.intentions.update(replyId, {
          content: result.content,
          state: result.state,
          properties,
          ifState: 'active',
        }),
      );
    },

    async failStaleReplies(createdBefore, failure) {
      const stale = await db
        .select({ id: intentions.id, properties: intentions.properties })
        .from(intentions)
        .where(
          and(
            eq(intentions.state, 'active'),
            lt(intentions.createdAt, createdBefore),
            sql`${intentions.properties} ->> 'replyTo' is not null`,
          ),
        );
      let failed = 0;
      for (const row of stale) {
        const properties = { ...row.properties, error: failure.message, errorCode: failure.code };
        const update = { state: 'failed' as const, ifState: 'active' as const };
        const done = await stillActive(
          domain.intentions.update(row.id, {
            ...update,
            properties: properties as UpdateIntentionInput['properties'],
          }),
        );
        if (done) failed++;
      }
      return failed;
    },
  };
}
