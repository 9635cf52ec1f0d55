import { createServer } from 'node:net';

/**
 * Fails with an actionable message when `port` is taken, before a child process would fail with a
 * less readable one. `envVar` names the setting the user changes to pick another port.
 */
export async function assertPortFree(port: number, envVar: string, what: string): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? portInUse(port, envVar, what) : error);
    });
    probe.listen(port, () => probe.close(() => resolve()));
  });
}

export function portInUse(port: number, envVar: string, what: string): Error {
  return new Error(
    `port ${port} (${what}) is already in use: stop what uses it, or set ${envVar} to another port`,
  );
}

export function portFromEnv(
  env: Readonly<Record<string, string | undefined>>,
  envVar: string,
  fallback: number,
): number {
  const raw = env[envVar];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port > 65535) {
    throw new Error(`${envVar}=${raw} is not a port number: use an integer from 0 to 65535`);
  }
  return port;
}
