import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { DisconnectReason, Room, RoomEvent } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/rhizom-sfu.js', import.meta.url));
let child: ChildProcess | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
});

/** Starts the real command and resolves with the URL it logs once it is ready. */
async function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ process: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  child = proc;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    proc.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.split('\n').find((line) => line.includes('"ready'));
      if (ready !== undefined) resolve(JSON.parse(ready).url);
    });
    proc.once('exit', (code) => reject(new Error(`rhizom-sfu exited with ${code}: ${output}`)));
  });
  return { process: proc, url };
}

describe('rhizom-sfu command', () => {
  it('--dev serves devkey/secret and shuts down gracefully on SIGTERM', async () => {
    const { process: proc, url } = await startCli(['--dev', '--port', '0']);
    const token = new AccessToken('devkey', 'secret', { identity: 'cli-user' });
    token.addGrant({ roomJoin: true, room: 'cli' });
    const room = new Room();
    await room.connect(url, await token.toJwt(), { autoSubscribe: true, dynacast: false });
    const reason = new Promise((resolve) => room.once(RoomEvent.Disconnected, resolve));
    proc.kill('SIGTERM');
    expect(await reason).toBe(DisconnectReason.SERVER_SHUTDOWN);
    const [code] = await once(proc, 'exit');
    expect(code).toBe(0);
  });

  it('exits with a usage error when no keys are configured', async () => {
    const proc = spawn(process.execPath, [BIN], { env: { PATH: process.env.PATH }, stdio: 'pipe' });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const [code] = await once(proc, 'exit');
    expect(code).toBe(2);
    expect(stderr).toMatch(/no API keys: pass --keys/);
  });
});
