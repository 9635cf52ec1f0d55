import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { buildInputsDigest, buildIsFresh, recordBuildInputs } from '../../scripts/lib/build-freshness.ts';
import { lockBuild } from './build-lock.ts';

/**
 * Builds the app unless `.next` holds a build newer than every source file. Check and build happen
 * under the exclusive build lock, so parallel test runs in one checkout neither build over each other
 * nor over a server that is running.
 */
export async function ensureBuilt(appDir: string): Promise<void> {
  const release = await lockBuild('exclusive');
  try {
    const digest = buildInputsDigest(appDir);
    if (buildIsFresh(appDir, digest)) return;
    await build(appDir);
    recordBuildInputs(appDir, digest);
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
