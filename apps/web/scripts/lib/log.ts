import pino from 'pino';

/** The launcher's own logger; Next.js and the app log on their own. */
export const log = pino({ name: 'rhizom', level: process.env.LOG_LEVEL ?? 'info' });
