import pino, { type Logger } from 'pino';

/** The app's root logger: JSON lines on stdout at the configured level (`LOG_LEVEL`, default info). */
export function createLogger(level: string = 'info'): Logger {
  return pino({ name: 'rhizom', level });
}
