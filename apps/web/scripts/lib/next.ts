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

/** Runs the Next.js CLI (`build`, `start`, `dev`) in `appDir` with the launcher's environment. */
export function runNext(appDir: string, args: string[], env: NodeJS.ProcessEnv): NextProcess {
  const child = spawn(process.execPath, [nextBin, ...args], {
    cwd: appDir,
    env: { ...env, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'inherit',
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      log.debug({ code, signal, args }, 'next exited');
      resolve(code ?? (signal ? 128 + constants.signals[signal] : 1));
    });
  });
  return { child, exited };
}
