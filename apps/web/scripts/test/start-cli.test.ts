import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, test } from 'vitest';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
let holder: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (holder ? holder.close(() => resolve()) : resolve())));

function runStart(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: appDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

test('npm start with a taken PORT exits 1 at once with a structured error naming PORT', async () => {
  holder = createServer();
  await new Promise<void>((resolve) => holder?.listen(0, resolve));
  const address = holder.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');

  const { code, output } = await runStart({ PORT: String(address.port), LIVEKIT_URL: '' });
  expect(code).toBe(1);
  const line = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { level: number; msg: string };
  expect(line.level).toBe(50);
  expect(line.msg).toBe(
    `port ${address.port} (app) is already in use: stop what uses it, or set PORT to another port`,
  );
  // It failed before building or starting anything.
  expect(output).not.toMatch(/building|Next\.js/);
});

test('npm start with a mistyped number exits 1 at once with an error naming the variable', async () => {
  const { code, output } = await runStart({ PORT: '0', LIVEKIT_URL: '', BOT_CONCURRENCY: '4O' });
  expect(code).toBe(1);
  const line = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { level: number; msg: string };
  expect(line.level).toBe(50);
  expect(line.msg).toContain('BOT_CONCURRENCY must be a positive whole number, got "4O". Unset it to use 4.');
  expect(output).not.toMatch(/building|Next\.js/);
});
