import type { BeingView } from '@rhizom/sync';
import { z } from 'zod';
import type { Actor, Viewer } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import type { Domain } from '../domain/index.ts';
import { beingIdSchema, type UpdateBeingInput } from '../domain/schemas.ts';
import { parseInput } from '../domain/validate.ts';
import { isBotReplyError } from './errors.ts';
import { resolveProvider } from './providers/resolve.ts';
import { providerUrlProblem } from './providers/url-policy.ts';
import { readReplyProperties } from './reply.ts';
import { type BotSettings, BotSettingsSchema, readBotSettings } from './settings.ts';
import type { Bots } from './start.ts';

const fields = BotSettingsSchema.shape;

/** Each field: a value sets it, null clears it (back to the default), absent leaves it. */
export const updateBotSettingsInput = z.strictObject({
  botId: beingIdSchema,
  providerUrl: fields.providerUrl.unwrap().nullable().optional(),
  model: fields.model.unwrap().nullable().optional(),
  systemPrompt: fields.systemPrompt.unwrap().nullable().optional(),
  repliesPerMinute: fields.repliesPerMinute.unwrap().nullable().optional(),
  maxTokens: fields.maxTokens.unwrap().nullable().optional(),
});
export type UpdateBotSettingsInput = z.input<typeof updateBotSettingsInput>;

/** What the owner sees of a bot's configuration. The key itself is never part of it: only whether one is set. */
export interface BotSettingsView {
  botId: string;
  settings: BotSettings;
  hasKey: boolean;
  /** Who answers with these settings, e.g. `offline bot (no model configured)`; or why nothing can. */
  provider: { label: string; offline: boolean } | { problem: string };
}

/**
 * Bot configuration and reply control for the API. Owner-only: a bot's settings are read and changed by
 * its stored owner (or a superuser); a reply in progress is stopped by the author of the message it answers.
 */
export function createBotService(deps: { domain: Domain; bots: Bots }) {
  const { domain, bots } = deps;

  async function requireOwnedBot(actor: Actor, botId: string): Promise<BeingView> {
    const bot = await domain.beings.get(actor, botId);
    if (bot.type !== 'bot') throw new DomainError('BAD_REQUEST', `${bot.id} is a ${bot.type}, not a bot.`);
    if (!actor.superuser && (bot.ownerId === null || bot.ownerId !== actor.beingId)) {
      throw new DomainError('FORBIDDEN', `Only the owner of ${bot.id} can see and change its settings.`);
    }
    return bot;
  }

  async function view(actor: Actor, bot: BeingView): Promise<BotSettingsView> {
    const settings = readBotSettings(bot.properties);
    const hasKey = await domain.botSecrets.hasApiKey(actor, bot.id);
    let provider: BotSettingsView['provider'];
    try {
      // A placeholder stands in for the key: the label needs only to know that there is one.
      const chosen = resolveProvider({
        settings,
        storedKey: hasKey ? 'set' : null,
        env: bots.env,
        offlineChunkDelayMs: 0,
      });
      provider = { label: chosen.label, offline: chosen.offline };
    } catch (error) {
      if (!isBotReplyError(error)) throw error;
      provider = { problem: error.message };
    }
    return { botId: bot.id, settings, hasKey, provider };
  }

  return {
    async settings(actor: Viewer, botId: string): Promise<BotSettingsView> {
      const signedIn = requireActor(actor);
      return view(signedIn, await requireOwnedBot(signedIn, botId));
    },

    async updateSettings(actor: Viewer, raw: UpdateBotSettingsInput): Promise<BotSettingsView> {
      const signedIn = requireActor(actor);
      const input = parseInput(updateBotSettingsInput, raw);
      const bot = await requireOwnedBot(signedIn, input.botId);
      const { botId: _botId, ...changes } = input;
      const next: Record<string, unknown> = { ...readBotSettings(bot.properties) };
      for (const [key, value] of Object.entries(changes)) {
        if (value === null) delete next[key];
        else if (value !== undefined) next[key] = value;
      }
      const settings = BotSettingsSchema.parse(next);
      if (settings.providerUrl) {
        const problem = providerUrlProblem(settings.providerUrl, bots.env.allowPrivateUrls);
        if (problem) throw new DomainError('BAD_REQUEST', problem);
      }
      const updated = await domain.beings.update(signedIn, {
        id: bot.id,
        properties: { ...bot.properties, bot: settings } as UpdateBeingInput['properties'],
      });
      return view(signedIn, updated);
    },

    /** Sets (string) or removes (null) the key. Answers only whether a key is now set. */
    async setKey(
      actor: Viewer,
      raw: { botId: string; apiKey: string | null },
    ): Promise<{ botId: string; hasKey: boolean }> {
      const signedIn = requireActor(actor);
      await requireOwnedBot(signedIn, raw.botId);
      const result = await domain.botSecrets.setApiKey(signedIn, raw);
      return { botId: result.botId, hasKey: result.hasApiKey };
    },

    async cancelReply(actor: Viewer, replyId: string): Promise<{ replyId: string; state: 'cancelled' }> {
      const signedIn = requireActor(actor);
      const reply = await domain.intentions.get(signedIn, replyId);
      const meta = readReplyProperties(reply.properties);
      if (!meta) throw new DomainError('BAD_REQUEST', 'Only a bot reply in progress can be stopped.');
      if (reply.state !== 'active') {
        throw new DomainError('CONFLICT', `This reply is already ${reply.state}; there is nothing to stop.`);
      }
      const trigger = await domain.intentions.get(signedIn, meta.replyTo).catch(() => null);
      if (!signedIn.superuser && trigger?.ownerId !== signedIn.beingId) {
        throw new DomainError('FORBIDDEN', 'Only the author of the message this reply answers can stop it.');
      }
      const me = await domain.beings.get(signedIn, signedIn.beingId);
      // Another app process may be streaming it: then settle it here, and that process stops at its next write.
      if (!bots.runner.cancel(replyId, me.name)) {
        await bots.store.finishReply(replyId, {
          state: 'cancelled',
          content: reply.content,
          failure: { code: 'cancelled', message: `Stopped by ${me.name}.` },
        });
      }
      return { replyId, state: 'cancelled' };
    },
  };
}

export type BotService = ReturnType<typeof createBotService>;

function requireActor(actor: Viewer): Actor {
  if (!actor) throw new DomainError('UNAUTHORIZED', 'Sign in (or continue as a guest) first.');
  return actor;
}
