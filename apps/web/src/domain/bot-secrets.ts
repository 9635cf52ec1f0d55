import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { botSecrets } from '../db/schema/index.ts';
import { requireViewableBeing } from './access.ts';
import type { Viewer } from './actor.ts';
import { DomainError, signInRequired } from './errors.ts';
import { LIMITS } from './limits.ts';
import { canEditBeing } from './permissions.ts';
import { beingIdSchema } from './schemas.ts';
import { parseInput } from './validate.ts';
import type { Write } from './write.ts';

export const setApiKeyInput = z.strictObject({
  botId: beingIdSchema,
  /** null removes the key. */
  apiKey: z
    .string()
    .trim()
    .min(1, 'An API key cannot be empty; send null to remove it.')
    .max(LIMITS.apiKeyMax, `An API key can be at most ${LIMITS.apiKeyMax} characters.`)
    .nullable(),
});

/**
 * Bots' provider API keys are write-only: the API can set or clear one and ask whether one is set;
 * only server-side code (the bot runner) reads a key, through `readApiKey`, which no router exposes.
 */
export function createBotSecretService(deps: { db: Database; write: Write }) {
  const { db, write } = deps;

  return {
    async setApiKey(
      actor: Viewer,
      raw: z.input<typeof setApiKeyInput>,
    ): Promise<{ botId: string; hasApiKey: boolean }> {
      if (!actor) throw signInRequired();
      const input = parseInput(setApiKeyInput, raw);
      return write(async ({ tx }) => {
        const bot = await requireViewableBeing(tx, actor, input.botId);
        if (bot.type !== 'bot')
          throw new DomainError('BAD_REQUEST', `${bot.id} is a ${bot.type}, not a bot.`);
        if (!canEditBeing(actor, bot))
          throw new DomainError('FORBIDDEN', `Only the owner of ${bot.id} can set its key.`);
        if (input.apiKey === null) {
          await tx.delete(botSecrets).where(eq(botSecrets.beingId, bot.id));
          return { botId: bot.id, hasApiKey: false };
        }
        await tx
          .insert(botSecrets)
          .values({ beingId: bot.id, apiKey: input.apiKey, modifiedAt: new Date() })
          .onConflictDoUpdate({
            target: botSecrets.beingId,
            set: { apiKey: input.apiKey, modifiedAt: new Date() },
          });
        return { botId: bot.id, hasApiKey: true };
      });
    },

    async hasApiKey(viewer: Viewer, botId: string): Promise<boolean> {
      await requireViewableBeing(db, viewer, botId);
      const [row] = await db
        .select({ beingId: botSecrets.beingId })
        .from(botSecrets)
        .where(eq(botSecrets.beingId, botId))
        .limit(1);
      return row !== undefined;
    },

    /** Server-side only. Never return this from an API procedure. */
    async readApiKey(botId: string): Promise<string | null> {
      const [row] = await db.select().from(botSecrets).where(eq(botSecrets.beingId, botId)).limit(1);
      return row?.apiKey ?? null;
    },
  };
}

export type BotSecretService = ReturnType<typeof createBotSecretService>;
