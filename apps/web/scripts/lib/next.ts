import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { log } from './log.ts';

const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

export interface NextProcess {
  child: ChildProcess;
  /** Resolves with the exit code once Next.js has exited, whoever stopped it. */
  exited: Promise<number>;
}

/** Runs the Next.js CLI (`build`) in `appDir` with the launcher's environment. */
export function runNext(appDir: string, args: string[], env: NodeJS.ProcessEnv): NextProcess {
  return watch(spawn(process.execPath, [nextBin, ...args], childOptions(appDir, env)), args);
}

/** Serves the app (`scripts/serve.ts`: Next.js behind the request guard) in `mode` on `port`. */
export function runServer(
  appDir: string,
  mode: 'start' | 'dev',
  port: number,
  env: NodeJS.ProcessEnv,
): NextProcess {
  const args = ['--import', 'tsx', 'scripts/serve.ts', mode, String(port)];
  return watch(spawn(process.execPath, args, childOptions(appDir, env)), args);
}

function childOptions(appDir: string, env: NodeJS.ProcessEnv) {
  return {
    cwd: appDir,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit' as const,
  };
}

function watch(child: ChildProcess, args: string[]): NextProcess {
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      log.debug({ code, signal, args }, 'next exited');
      resolve(code ?? (signal ? 128 + constants.signals[signal] : 1));
    });
  });
  return { child, exited };
}
