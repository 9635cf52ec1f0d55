import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished, test } from 'vitest';
import { assertPortFree } from '../scripts/lib/port.ts';
import { startAppServer } from './support/app-server.ts';
import { lockBuild } from './support/build-lock.ts';
import { freePort } from './support/free-port.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));

test('npm start serves the app with the embedded SFU beside it, starts the runtime at boot, and SIGTERM stops both cleanly', async () => {
  const sfuPort = await freePort();
  const server = await startAppServer(appDir, { SFU_PORT: String(sfuPort), LOG_LEVEL: 'info' });
  const appPort = Number(new URL(server.url).port);

  // The runtime (migrations, seed, sync broadcaster, bot runner) starts with the server, before any API
  // request: pending events go out and replies left by a crash are settled even if nobody visits.
  await expect.poll(() => server.output().includes('"msg":"runtime ready"'), { timeout: 30_000 }).toBe(true);
  // The launcher announces the address once the app answers there, not when it spawned Next.js.
  await expect.poll(() => server.output().includes('rhizom on http'), { timeout: 10_000 }).toBe(true);
  expect(server.output().indexOf('rhizom on http')).toBeGreaterThan(server.output().indexOf('runtime ready'));
  // The space page the front door leads to was rendered once at start (its route's code loaded).
  await expect
    .poll(() => /"status":200,"ms":\d+,"msg":"front door rendered once"/.test(server.output()), {
      timeout: 30_000,
    })
    .toBe(true);
  // So were the build's static files, read and gzipped before the first visitor asks for them.
  await expect
    .poll(
      () => /"files":[1-9]\d*,"ms":\d+,"msg":"static files read and gzipped once"/.test(server.output()),
      {
        timeout: 30_000,
      },
    )
    .toBe(true);

  const sfu = await fetch(`http://127.0.0.1:${sfuPort}/`);
  expect(sfu.status).toBe(200);
  const page = await fetch(`${server.url}/being/@intraliminal`);
  expect(page.status).toBe(200);

  await expect(server.close()).resolves.toBe(0);
  // The app closed its runtime before exiting (bot replies ended, sync flushed, database closed).
  expect(server.output()).toContain('"msg":"runtime stopped"');
  // Both ports are released: nothing was left running.
  await expect(assertPortFree(appPort, 'PORT', 'app')).resolves.toBeUndefined();
  await expect(assertPortFree(sfuPort, 'SFU_PORT', 'embedded SFU')).resolves.toBeUndefined();
});

test('a second npm start on a data directory another process holds exits 1 saying so, instead of serving pages without an API', async () => {
  const releaseBuild = await lockBuild('shared');
  const dataDir = mkdtempSync(join(tmpdir(), 'rhizom-taken-'));
  try {
    // This test's own process stands for the first instance: a live pid in the lock file.
    writeFileSync(join(dataDir, 'rhizom.lock'), String(process.pid));
    const { DATABASE_URL: _db, LIVEKIT_URL: _lk, ...inherited } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: appDir,
      env: {
        ...inherited,
        PORT: String(await freePort()),
        SFU_PORT: '0',
        RHIZOM_DATA_DIR: dataDir,
        // The app's logger is silent under vitest unless a level is given.
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Before the fix the app never exits; this runs even when the test times out. The launcher stops
    // Next.js and the SFU with it.
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain(`is in use by another rhizom process (pid ${process.pid})`);
    expect(output).not.toContain('rhizom on http');
  } finally {
    releaseBuild();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
