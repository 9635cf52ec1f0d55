import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The `rhizom-sfu` command as its own process: what a deployment runs, and what a test can SIGKILL. */
export interface SfuProcess {
  url: string;
  port: number;
  /** kill -9: no leave messages, no webhook flush; sockets die as with a crash. */
  kill(): Promise<void>;
}

const BIN = fileURLToPath(new URL('../../../sfu/bin/rhizom-sfu.js', import.meta.url));

/** Starts `rhizom-sfu` and resolves once it logs that it accepts connections. */
export async function startSfuProcess(options: {
  port: number;
  keys: Record<string, string>;
  webhookUrl?: string;
}): Promise<SfuProcess> {
  const keys = Object.entries(options.keys)
    .map(([key, secret]) => `${key}: ${secret}`)
    .join(', ');
  const args = [BIN, '--bind', '127.0.0.1', '--port', String(options.port), '--keys', keys];
  if (options.webhookUrl) args.push('--webhook-url', options.webhookUrl);
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = output.split('\n').find((line) => line.includes('"ready'));
      if (ready === undefined) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve(JSON.parse(ready).url);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`rhizom-sfu exited with ${code}: ${output}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
