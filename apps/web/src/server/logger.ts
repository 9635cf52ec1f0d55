import pino, { type Logger } from 'pino';

/** The app's root logger: JSON lines on stdout; `LOG_LEVEL` sets the level (default info, silent in tests). */
export function createLogger(
  level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info'),
): Logger {
  return pino({ name: 'rhizom', level });
}
