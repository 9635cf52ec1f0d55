import { type ChildProcess, fork } from 'node:child_process';
import { type EventLoopUtilization, performance } from 'node:perf_hooks';

/** What a server child reports about itself. */
export interface Usage {
  rss: number;
  cpuMicros: number;
  /** Cumulative event loop utilisation of the child's JS thread. */
  elu: EventLoopUtilization;
}

type Message = { type: 'ready'; url: string } | ({ type: 'usage' } & Usage);

/** Child side: announce the URL, answer usage queries, stop on request or when the parent goes away. */
export function serveParent(url: string, close: () => Promise<void>): void {
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'usage') {
      // Collect first so RSS reflects live memory rather than garbage awaiting a GC.
      (globalThis as { gc?: () => void }).gc?.();
      const cpu = process.cpuUsage();
      process.send?.({
        type: 'usage',
        rss: process.memoryUsage().rss,
        cpuMicros: cpu.user + cpu.system,
        elu: performance.eventLoopUtilization(),
      });
    } else if (message.type === 'close') {
      await close();
      process.exit(0);
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready', url });
}

export interface ServerChild {
  url: string;
  usage(): Promise<Usage>;
  close(): Promise<void>;
}

/** Parent side: runs `script` (TypeScript, through tsx) and waits for its URL. */
export async function startChild(script: URL, env: Record<string, string> = {}): Promise<ServerChild> {
  const child: ChildProcess = fork(script, {
    // BENCH_PROFILE_DIR=<dir> writes a V8 CPU profile of each server child there.
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T extends Message['type']>(type: T) =>
    new Promise<Extract<Message, { type: T }>>((resolve, reject) => {
      const onMessage = (message: Message) => {
        if (message.type !== type) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(message as Extract<Message, { type: T }>);
      };
      const onExit = (code: number | null) => reject(new Error(`${script.pathname} exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  const { url } = await next('ready');
  return {
    url,
    async usage() {
      const reply = next('usage');
      child.send({ type: 'usage' });
      const { rss, cpuMicros, elu } = await reply;
      return { rss, cpuMicros, elu };
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}
