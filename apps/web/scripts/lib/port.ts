import { createServer } from 'node:net';

/**
 * Fails with an actionable message when `port` is taken, before a child process would fail with a
 * less readable one. `envVar` names the setting the user changes to pick another port.
 */
export async function assertPortFree(port: number, envVar: string, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} (${what}) is already in use: stop what uses it or set ${envVar}`));
      } else {
        reject(error);
      }
    });
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

export function portFromEnv(envVar: string, fallback: number): number {
  const raw = process.env[envVar];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${envVar}=${raw} is not a port number (0-65535)`);
  }
  return port;
}
