/**
 * Next.js calls this once when the server starts: open the database, apply migrations, seed, and start
 * the sync broadcaster and the bot runner now, so replies left by a crash are settled and pending sync
 * events are sent before anyone visits, not on the first request.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getRuntime } = await import('./server/runtime.ts');
  const { createLogger } = await import('./server/logger.ts');
  const { processConfig } = await import('./server/config.ts');
  const logger = createLogger(processConfig().logLevel);
  if (process.env.NEXT_MANUAL_SIG_HANDLE) {
    const { closeOnSignals } = await import('./server/shutdown.ts');
    closeOnSignals(async () => (await getRuntime()).close(), logger);
  }
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
