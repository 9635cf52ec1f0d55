import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentions } from '../../src/db/schema/index.ts';
import { type ProviderServer, startProviderServer } from './provider-server.ts';
import { eventually, startBotWorld, tempDir } from './support.ts';

let server: ProviderServer;
beforeAll(async () => {
  server = await startProviderServer();
});
afterAll(() => server.close());

const child = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));

/** Start the app-like child, wait until its bot is mid-reply, then SIGKILL it. */
async function killMidReply(dataDir: string): Promise<{ replyId: string; spaceId: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, server.url], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /streaming \S+ \S+\n/.exec(out);
      if (match) resolve(match[0]);
    });
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before streaming: ${stderr}`)));
  });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
  const [, replyId = '', spaceId = ''] = line.trim().split(' ');
  return { replyId, spaceId };
}

describe('a crash mid-reply', () => {
  it('leaves no reply stuck in active after the app starts again', async () => {
    const dir = tempDir();
    try {
      server.behave({ kind: 'endless', delayMs: 10 });
      const { replyId } = await killMidReply(dir.path);
      const world = await startBotWorld({ dataDir: dir.path });
      try {
        const [reply] = await world.handle.db.select().from(intentions).where(eq(intentions.id, replyId));
        expect(reply?.state).toBe('failed');
        expect(reply?.content.startsWith('w0 ')).toBe(true);
        expect(reply?.properties.errorCode).toBe('interrupted');
        expect(reply?.properties.error).toContain('The server restarted before this reply was finished');
        const active = await world.handle.db.select().from(intentions).where(eq(intentions.state, 'active'));
        expect(active).toEqual([]);
      } finally {
        await world.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('a graceful shutdown settles the reply in progress as failed, saying the server stopped', async () => {
    server.behave({ kind: 'endless', delayMs: 10 });
    const world = await startBotWorld({ env: { allowPrivateUrls: true } });
    try {
      const ada = await world.person('Ada');
      const space = await world.domain.beings.create(ada, { name: 'Shutdown', type: 'space' });
      await world.domain.beings.create(ada, {
        name: 'Helper',
        type: 'bot',
        locationId: space.id,
        properties: { bot: { providerUrl: server.url, model: 'test-model' } },
      });
      const trigger = await world.say(ada, space.id, 'Keep going.');
      await eventually('streamed text', async () => {
        const row = await world.replyTo(trigger);
        return row && row.content.length > 0 ? row : undefined;
      });
      await world.runner.close();
      const reply = await world.replyTo(trigger);
      expect(reply?.state).toBe('failed');
      expect(reply?.content.startsWith('w0 ')).toBe(true);
      expect(reply?.properties).toMatchObject({ errorCode: 'interrupted' });
      expect(reply?.properties.error).toContain('The server stopped before this reply was finished');
    } finally {
      await world.close();
    }
  });
});
