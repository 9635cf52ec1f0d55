import { createCallerFactory, router } from '../trpc.ts';
import { beingRouter } from './being.ts';
import { botRouter } from './bot.ts';
import { intentionRouter } from './intention.ts';
import { livekitRouter } from './livekit.ts';
import { spaceRouter } from './space.ts';
import { syncRouter } from './sync.ts';

/** The whole API. Each feature adds its router here with one line. */
export const appRouter = router({
  being: beingRouter,
  space: spaceRouter,
  intention: intentionRouter,
  bot: botRouter,
  sync: syncRouter,
  livekit: livekitRouter,
});

export type AppRouter = typeof appRouter;

/** For tests and server code: call procedures directly with a context from `createContext`. */
export const createCaller = createCallerFactory(appRouter);
