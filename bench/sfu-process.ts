import { startSfu } from '@rhizom/sfu';
import pino from 'pino';
import { serveParent } from './child-process.ts';

/** The SFU under test, in its own process so its CPU and memory are measured apart from the clients. */
const sfu = await startSfu({
  port: 0,
  keys: JSON.parse(process.env.BENCH_KEYS ?? '{}') as Record<string, string>,
  logger: pino({ level: 'warn' }),
  rtc: { bindAddress: '127.0.0.1' },
});
serveParent(sfu.url, () => sfu.close());
