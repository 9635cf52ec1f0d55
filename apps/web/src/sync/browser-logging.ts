import { consoleLogger, type SyncLogger } from '@rhizom/sync/client';
import { setLogLevel } from 'livekit-client';

const production = process.env.NODE_ENV === 'production';

/**
 * What sync writes to the browser console: everything while developing; in production only warnings and
 * errors (the UI says what people need to know; routine steps are noise in their console).
 */
export const browserSyncLogger: SyncLogger = production
  ? { debug: () => {}, info: () => {}, warn: consoleLogger.warn, error: consoleLogger.error }
  : consoleLogger;

/** LiveKit's SDK logs every connection step at info; production keeps its warnings and errors. */
export function quietLiveKitInProduction(): void {
  if (production) setLogLevel('warn');
}
