import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { assertPortFree } from '../scripts/lib/port.ts';
import { startAppServer } from './support/app-server.ts';
import { freePort } from './support/free-port.ts';

const appDir = fileURLToPath(new URL('..', import.meta.url));

test('npm start serves the app with the embedded SFU beside it, starts the runtime at boot, and SIGTERM stops both cleanly', async () => {
  const sfuPort = await freePort();
  const server = await startAppServer(appDir, { SFU_PORT: String(sfuPort), LOG_LEVEL: 'info' });
  const appPort = Number(new URL(server.url).port);

  // The runtime (migrations, seed, sync broadcaster, bot runner) starts with the server, before any API
  // request: pending events go out and replies left by a crash are settled even if nobody visits.
  await expect.poll(() => server.output().includes('"msg":"runtime ready"'), { timeout: 30_000 }).toBe(true);

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
