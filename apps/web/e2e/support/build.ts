import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { lockBuild } from './build-lock.ts';

/** What the production build compiles: the app and the workspace packages it bundles from source. */
const INPUTS = ['src', 'next.config.ts', 'package.json', 'tsconfig.json', '../../packages/sync/src'];

/** The newest modification time among the files a production build depends on. */
function newestInput(appDir: string): number {
  let newest = 0;
  const visit = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const input of INPUTS) visit(join(appDir, input));
  return newest;
}

/**
 * Builds the app unless `.next` holds a build newer than every source file. Check and build happen
 * under the exclusive build lock, so parallel test runs in one checkout neither build over each other
 * nor over a server that is running.
 */
export async function ensureBuilt(appDir: string): Promise<void> {
  const release = await lockBuild('exclusive');
  try {
    const buildId = join(appDir, '.next', 'BUILD_ID');
    if (existsSync(buildId) && statSync(buildId).mtimeMs > newestInput(appDir)) return;
    await build(appDir);
  } finally {
    release();
  }
}

async function build(appDir: string): Promise<void> {
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: appDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(`next build failed (exit ${code}):\n${Buffer.concat(output).toString().slice(-4000)}`);
  }
}
