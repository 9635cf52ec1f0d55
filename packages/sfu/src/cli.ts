import { pino } from 'pino';
import { parseCliOptions, USAGE } from './cli/options.ts';
import { startSfu } from './start.ts';

/**
 * The `rhizom-sfu` command: starts the server from flags and environment and stops it gracefully
 * on SIGINT/SIGTERM (participants get leave(SERVER_SHUTDOWN), rooms close, webhooks flush).
 */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  let options: ReturnType<typeof parseCliOptions>;
  try {
    options = parseCliOptions(argv, env);
  } catch (error) {
    process.stderr.write(`rhizom-sfu: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const logger = pino({ name: 'rhizom-sfu', level: options.logLevel });
  const sfu = await startSfu({
    host: options.host,
    port: options.port,
    keys: options.keys,
    webhook: options.webhookUrl === undefined ? undefined : { url: options.webhookUrl },
    logger,
    rtc: {
      bindAddress: options.rtcBind,
      portRangeBegin: options.rtcPorts?.begin,
      portRangeEnd: options.rtcPorts?.end,
    },
  });
  logger.info({ url: sfu.url, apiKeys: Object.keys(options.keys) }, 'ready: point LIVEKIT_URL here');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    sfu.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
