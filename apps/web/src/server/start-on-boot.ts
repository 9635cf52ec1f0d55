import { processConfig } from './config.ts';
import { offerTrpcHandler } from './http/api-handoff.ts';
import { createLogger } from './logger.ts';
import { getRuntime } from './runtime.ts';
import { closeOnSignals } from './shutdown.ts';
import { trpcRoute } from './trpc-http.ts';

/**
 * Open the database, apply migrations, seed, and start the sync broadcaster and the bot runner when the
 * server starts, so replies left by a crash are settled and pending sync events are sent before anyone
 * visits, not on the first request. Node-only: `instrumentation.ts` imports this file only in the Node
 * runtime, which keeps `process.exit` out of Next's Edge bundle (and its build warning).
 */
export async function startOnBoot(): Promise<void> {
  const config = processConfig();
  const logger = createLogger(config.logLevel);
  if (config.handlesSignals) {
    closeOnSignals(async () => (await getRuntime()).close(), logger);
  }
  // Before the runtime is ready: a request meanwhile waits for it, as it would through Next.js.
  offerTrpcHandler(trpcRoute);
  try {
    await getRuntime();
  } catch (error) {
    // Another process owns the data directory: serving pages without an API would only mislead.
    if ((error as Error).name === 'DataDirInUseError') {
      logger.fatal((error as Error).message);
      process.exit(1);
    }
    logger.error(
      { err: error },
      'rhizom could not start its runtime (database?); the first request will try again',
    );
  }
}
