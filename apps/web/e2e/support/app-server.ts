import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockBuild } from './build-lock.ts';
import { freePort } from './free-port.ts';

export interface AppServer {
  url: string;
  /** The launcher's process id (the app's HTTP server is its child; the embedded SFU runs in it). */
  pid: number;
  /** What the launcher, the SFU and the app printed lately (the last few hundred chunks). */
  output(): string;
  /** SIGTERM, as a process manager would send; resolves with the launcher's exit code. */
  close(): Promise<number | null>;
}

/**
 * Runs the product the way `npm start` does (scripts/start.ts: embedded SFU, then Next.js behind scripts/serve.ts) on a
 * free port with a fresh PGlite data directory, and waits until it answers HTTP.
 */
export async function startAppServer(appDir: string, env: Record<string, string> = {}): Promise<AppServer> {
  const releaseBuild = await lockBuild('shared');
  const dataDir = mkdtempSync(join(tmpdir(), 'rhizom-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  // The browser suite always runs on its own PGlite and its own SFU, whatever the shell points at.
  const {
    DATABASE_URL: _db,
    LIVEKIT_URL: _lk,
    LIVEKIT_API_KEY: _key,
    LIVEKIT_API_SECRET: _secret,
    ...inherited
  } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: appDir,
    env: {
      ...inherited,
      PORT: String(port),
      SFU_PORT: '0',
      RHIZOM_DATA_DIR: dataDir,
      BETTER_AUTH_URL: url,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 400) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const close = async () => {
    const code = await stop(child);
    releaseBuild();
    rmSync(dataDir, { recursive: true, force: true });
    return code;
  };
  try {
    await waitForHttp(`${url}/sign-in`, child);
  } catch (error) {
    await close();
    throw new Error(`${(error as Error).message}\n--- app output ---\n${output.join('').slice(-6000)}`);
  }
  return { url, pid: child.pid as number, output: () => output.join(''), close };
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} before serving`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer ${url} within 90 s`);
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}
