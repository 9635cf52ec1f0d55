import type { Logger } from 'pino';
import { answers } from '../domain/being-types.ts';
import { buildContext } from './context.ts';
import type { BotEnv } from './env.ts';
import { BotReplyError, toBotReplyError } from './errors.ts';
import { resolveProvider } from './providers/resolve.ts';
import { createRateLimiter, perMinute } from './rate-limit.ts';
import type { ReplyFailure } from './reply.ts';
import {
  type BotSettings,
  defaultMaxTokens,
  defaultRepliesPerMinute,
  defaultSystemPrompt,
  readBotSettings,
} from './settings.ts';
import type { BotBeing, BotStore, FinalReplyState } from './store.ts';
import type { ChatProvider } from './types.ts';
import { createWriteThrottle } from './write-throttle.ts';

export interface BotRunnerOptions {
  store: BotStore;
  env: BotEnv;
  logger: Logger;
  /**
   * True when no other process can be running replies on this database (embedded PGlite): at start every
   * reply still `active` was left by a crash. With a shared PostgreSQL only replies too old to be alive are.
   */
  exclusiveDatabase: boolean;
  /** Minimum time between two writes of one reply (each write is one sync event). Default 100 ms. */
  updateIntervalMs?: number;
  /** Characters of conversation sent to the model. Default 12,000 (about 3,000 tokens). */
  contextChars?: number;
  /** Pace of the offline bot. Default 35 ms per word. */
  offlineChunkDelayMs?: number;
  /** Longest a job may wait for a free slot before it fails as "busy". Default 60 s. */
  maxQueueMs?: number;
  /** How often a shared-database runner looks for replies abandoned by dead processes. Default 30 s. */
  sweepEveryMs?: number;
  /**
   * On a shared database, how old an `active` reply must be to count as abandoned. Default: the longest a
   * job can live (queue wait + reply time) plus 30 s, so a reply another process is writing is never taken.
   */
  staleAfterMs?: number;
  /** Upper bound on a reply's length in characters. */
  maxReplyChars: number;
  /** How long close() waits for stopped replies to settle before giving up on them. Default 10 s. */
  closeTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface BotRunner {
  /** Fail replies left `active` by a crash; then, on a shared database, keep sweeping. Returns how many. */
  start(): Promise<number>;
  /** A non-bot utterance was committed in a space: every bot located there gets a reply job. */
  onUtterance(utterance: { id: string; spaceId: string; ownerId: string }): Promise<void>;
  /** Stop a reply this process is streaming. False when it is not running here. */
  cancel(replyId: string, byName: string): boolean;
  /** Resolves when nothing is queued or running (tests and graceful shutdown). */
  idle(): Promise<void>;
  /** Stop every reply (they end `failed`, saying the server stopped) and stop sweeping. */
  close(): Promise<void>;
}

interface Job {
  replyId: string;
  bot: BotBeing;
  settings: BotSettings;
  spaceId: string;
  triggerId: string;
  provider: ChatProvider;
  enqueuedAt: number;
  controller: AbortController;
  /** Why the job was stopped from outside (cancel, overall timeout, shutdown); wins over what the provider threw. */
  stopReason: BotReplyError | null;
}

const recentLimit = 60;

const shutdownFailure: ReplyFailure = {
  code: 'interrupted',
  message: 'The server stopped before this reply was finished. Send your message again to get a new reply.',
};

export function createBotRunner(options: BotRunnerOptions): BotRunner {
  const { store, env, logger } = options;
  const updateIntervalMs = options.updateIntervalMs ?? 100;
  const contextChars = options.contextChars ?? 12_000;
  const offlineChunkDelayMs = options.offlineChunkDelayMs ?? 35;
  const maxQueueMs = options.maxQueueMs ?? 60_000;
  const sweepEveryMs = options.sweepEveryMs ?? 30_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
  // Every job ends within queue wait + reply time; a reply older than that has no process behind it.
  const staleAfterMs = options.staleAfterMs ?? maxQueueMs + env.maxReplyMs + 30_000;
  const limiter = createRateLimiter();
  const quietUntil = new Map<string, number>();
  const queue: Job[] = [];
  const running = new Map<string, Job>();
  /** Work outside the queue (planning replies, settling cancelled ones) that idle() also waits for. */
  const planning = new Set<Promise<void>>();
  const track = (work: Promise<void>): Promise<void> => {
    planning.add(work);
    return work.finally(() => {
      planning.delete(work);
      notifyIdle();
    });
  };
  const idleWaiters: Array<() => void> = [];
  let sweeper: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const log = logger.child({ component: 'bots' });

  const notifyIdle = () => {
    if (queue.length > 0 || running.size > 0 || planning.size > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  };

  const sweep = async (createdBefore: Date) => {
    const count = await store.failStaleReplies(createdBefore, {
      code: 'interrupted',
      message:
        'The server restarted before this reply was finished. Send your message again to get a new reply.',
    });
    if (count > 0) log.warn({ count }, 'marked bot replies interrupted by a restart as failed');
    return count;
  };

  const limited = (bot: BotBeing, settings: BotSettings, spaceId: string): ReplyFailure | null => {
    const space = perMinute(env.spaceRepliesPerMinute);
    const spaceTake = limiter.take(`space:${spaceId}`, space.capacity, space.refillMs);
    if (!spaceTake.ok) {
      return {
        code: 'rate_limited',
        message: `Bots in this space answer at most ${env.spaceRepliesPerMinute} messages a minute; the next answer is possible in ${Math.ceil(spaceTake.retryInMs / 1000)} s.`,
      };
    }
    const perBot = settings.repliesPerMinute ?? defaultRepliesPerMinute;
    const bucket = perMinute(perBot);
    const botTake = limiter.take(`bot:${bot.id}`, bucket.capacity, bucket.refillMs);
    if (!botTake.ok) {
      return {
        code: 'rate_limited',
        message: `${bot.name} answers at most ${perBot} messages a minute; it can answer again in ${Math.ceil(botTake.retryInMs / 1000)} s.`,
      };
    }
    return null;
  };

  const plan = async (bot: BotBeing, utterance: { id: string; spaceId: string }) => {
    const settings = readBotSettings(bot.properties);
    const base = { botId: bot.id, spaceId: utterance.spaceId, replyTo: utterance.id };
    const refusal = limited(bot, settings, utterance.spaceId);
    if (refusal) {
      // One visible notice per empty bucket; the rest only in the log, so a flood makes no flood of notices.
      const key = `${bot.id}:${utterance.spaceId}`;
      const now = Date.now();
      log.info({ bot: bot.id, space: utterance.spaceId }, 'bot reply refused by rate limit');
      if ((quietUntil.get(key) ?? 0) > now) return;
      if (quietUntil.size > 1_000) {
        for (const [stale, until] of quietUntil) if (until <= now) quietUntil.delete(stale);
      }
      quietUntil.set(key, now + 60_000);
      await store.createReply({ ...base, provider: { label: bot.name, offline: false }, failure: refusal });
      return;
    }
    let provider: ChatProvider;
    try {
      provider = resolveProvider({
        settings,
        storedKey: await store.readKey(bot.id),
        env,
        offlineChunkDelayMs,
        fetch: options.fetch,
      });
    } catch (error) {
      const failure = toBotReplyError(error);
      await store.createReply({
        ...base,
        provider: { label: bot.name, offline: false },
        failure: { code: failure.code, message: failure.message },
      });
      return;
    }
    // Shutting down: leave the message unanswered rather than create a reply nobody will write.
    if (closed) return;
    const replyId = await store.createReply({
      ...base,
      provider: { label: provider.label, offline: provider.offline },
    });
    if (closed) {
      await store.finishReply(replyId, { state: 'failed', content: '', failure: shutdownFailure });
      return;
    }
    queue.push({
      replyId,
      bot,
      settings,
      spaceId: utterance.spaceId,
      triggerId: utterance.id,
      provider,
      enqueuedAt: Date.now(),
      controller: new AbortController(),
      stopReason: null,
    });
    pump();
  };

  const pump = () => {
    while (!closed && running.size < env.concurrency && queue.length > 0) {
      const job = queue.shift() as Job;
      running.set(job.replyId, job);
      run(job)
        .catch((error: unknown) => log.error({ err: error, reply: job.replyId }, 'bot job crashed'))
        .finally(() => {
          running.delete(job.replyId);
          pump();
          notifyIdle();
        });
    }
    notifyIdle();
  };

  const finish = async (job: Job, state: FinalReplyState, content: string, failure?: ReplyFailure) => {
    const done = await store.finishReply(job.replyId, { state, content, ...(failure ? { failure } : {}) });
    log.info(
      {
        reply: job.replyId,
        bot: job.bot.id,
        space: job.spaceId,
        state,
        code: failure?.code,
        chars: content.length,
      },
      done ? 'bot reply finished' : 'bot reply was already stopped elsewhere',
    );
  };

  const run = async (job: Job) => {
    if (Date.now() - job.enqueuedAt > maxQueueMs) {
      await finish(job, 'failed', '', {
        code: 'busy',
        message: 'The server was too busy to answer in time. Send your message again in a moment.',
      });
      return;
    }
    // Checked again as the reply starts: its owner may have lost sight of the space while it queued.
    if (!(await store.mayAnswer(job.bot.id, job.spaceId))) {
      await finish(job, 'cancelled', '', {
        code: 'cancelled',
        message: `${job.bot.name} can no longer answer here.`,
      });
      return;
    }
    const overall = setTimeout(() => {
      job.stopReason = new BotReplyError(
        'timeout',
        `The reply took longer than ${Math.round(env.maxReplyMs / 1000)} s and was stopped. Ask for something shorter, or try again.`,
      );
      job.controller.abort();
    }, env.maxReplyMs);
    let gone = false;
    let writeError: unknown = null;
    // Writes are sequential and the text only grows, so each write appends what the last one lacked.
    let writtenLength = 0;
    const throttle = createWriteThrottle({
      intervalMs: updateIntervalMs,
      write: async (content) => {
        if (!(await store.appendToReply(job.replyId, content.slice(writtenLength)))) {
          gone = true;
          job.controller.abort();
        }
        writtenLength = content.length;
      },
      onError: (error) => {
        writeError = error;
        job.controller.abort();
      },
    });
    let content = '';
    try {
      const messages = buildContext({
        botId: job.bot.id,
        systemPrompt: job.settings.systemPrompt || defaultSystemPrompt,
        recent: await store.recentIntentions(job.spaceId, recentLimit),
        triggerId: job.triggerId,
        budgetChars: contextChars,
      });
      if (messages.length === 0) {
        await finish(job, 'cancelled', '', {
          code: 'cancelled',
          message: 'The message this reply answered was deleted.',
        });
        return;
      }
      const stream = job.provider.stream({
        messages,
        maxTokens: job.settings.maxTokens ?? defaultMaxTokens,
        signal: job.controller.signal,
      });
      for await (const piece of stream) {
        content += piece;
        if (content.length >= options.maxReplyChars) {
          content = content.slice(0, options.maxReplyChars);
          break;
        }
        throttle.push(content);
      }
      await throttle.stop();
      if (job.controller.signal.aborted)
        throw job.stopReason ?? new BotReplyError('cancelled', 'The reply was stopped.');
      await finish(job, 'complete', content);
    } catch (error) {
      await throttle.stop();
      if (gone) {
        log.info({ reply: job.replyId }, 'bot reply stopped: it is no longer active');
        return;
      }
      if (writeError) log.error({ err: writeError, reply: job.replyId }, 'writing a bot reply failed');
      const failure = job.stopReason ?? toBotReplyError(error);
      if (failure.code !== 'cancelled') {
        log.warn(
          { reply: job.replyId, code: failure.code, detail: failure.detail, err: failure.cause },
          `bot reply failed: ${failure.message}`,
        );
      }
      const state: FinalReplyState = failure.code === 'cancelled' ? 'cancelled' : 'failed';
      await finish(job, state, content, { code: failure.code, message: failure.message });
    } finally {
      clearTimeout(overall);
    }
  };

  return {
    async start() {
      const count = await sweep(new Date(options.exclusiveDatabase ? Date.now() : Date.now() - staleAfterMs));
      if (!options.exclusiveDatabase) {
        sweeper = setInterval(() => {
          sweep(new Date(Date.now() - staleAfterMs)).catch((error: unknown) =>
            log.error({ err: error }, 'sweeping abandoned bot replies failed; will retry'),
          );
        }, sweepEveryMs);
        sweeper.unref();
      }
      return count;
    },

    async onUtterance(utterance) {
      if (closed) return;
      const work = (async () => {
        // Most spaces have no bot: that one lookup is all a message there costs the runner.
        const bots = (await store.botsIn(utterance.spaceId)).filter((bot) => bot.id !== utterance.ownerId);
        if (bots.length === 0) return;
        // Beings that answer are never answered: two bots in one space would otherwise talk forever.
        const authorType = await store.authorType(utterance.ownerId);
        if (authorType === null || answers(authorType)) return;
        for (const bot of bots) {
          try {
            await plan(bot, utterance);
          } catch (error) {
            log.error({ err: error, bot: bot.id, utterance: utterance.id }, 'could not start a bot reply');
          }
        }
      })();
      try {
        await track(work);
      } catch (error) {
        log.error({ err: error, utterance: utterance.id }, 'could not plan bot replies');
      }
    },

    cancel(replyId, byName) {
      const job = running.get(replyId) ?? queue.find((queued) => queued.replyId === replyId);
      if (!job) return false;
      job.stopReason = new BotReplyError('cancelled', `Stopped by ${byName}.`);
      job.controller.abort();
      const queuedAt = queue.indexOf(job);
      if (queuedAt !== -1) {
        queue.splice(queuedAt, 1);
        void track(
          finish(job, 'cancelled', '', { code: 'cancelled', message: job.stopReason.message }).catch(
            (error: unknown) =>
              log.error({ err: error, reply: replyId }, 'could not mark a queued reply cancelled'),
          ),
        );
      }
      return true;
    },

    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        notifyIdle();
      });
    },

    async close() {
      closed = true;
      clearInterval(sweeper);
      const stopped = new BotReplyError(shutdownFailure.code, shutdownFailure.message);
      for (const job of [...queue.splice(0), ...running.values()]) {
        job.stopReason = stopped;
        job.controller.abort();
        if (!running.has(job.replyId)) {
          await finish(job, 'failed', '', { code: stopped.code, message: stopped.message }).catch(
            (error: unknown) =>
              log.error(
                { err: error, reply: job.replyId },
                'could not mark a queued reply failed at shutdown',
              ),
          );
        }
      }
      const settled = Promise.allSettled([...planning]).then(
        () =>
          new Promise<void>((resolve) => {
            idleWaiters.push(resolve);
            notifyIdle();
          }),
      );
      // A reply stuck on a hung database must not hold the process open; the next start's sweep ends it.
      let deadline: ReturnType<typeof setTimeout> | undefined;
      const gaveUp = await Promise.race([
        settled.then(() => false),
        new Promise<boolean>((resolve) => {
          deadline = setTimeout(() => resolve(true), closeTimeoutMs);
        }),
      ]);
      clearTimeout(deadline);
      if (gaveUp)
        log.warn(
          { replies: [...running.keys()], waitedMs: closeTimeoutMs },
          'bot replies did not stop in time; they stay active until the next start marks them failed',
        );
    },
  };
}
