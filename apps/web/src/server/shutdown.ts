import { constants } from 'node:os';
import type { Logger } from 'pino';

/**
 * On SIGINT/SIGTERM: close the runtime (bot replies end saying the server stopped, their last sync events
 * go out, the database closes cleanly), then exit with the signal's code as Next.js would. Only used when
 * the launcher set NEXT_MANUAL_SIG_HANDLE, so that Next.js leaves the signals to us.
 */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info(
      { signal },
      'stopping: ending bot replies, sending pending sync events, closing the database',
    );
    close()
      .then(
        () => logger.info('runtime stopped'),
        (error: unknown) => logger.error({ err: error }, 'the runtime did not close cleanly'),
      )
      .finally(() => process.exit(128 + constants.signals[signal]));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
