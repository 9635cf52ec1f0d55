import { fileURLToPath } from 'node:url';
import { launch, runUntilSignal } from './lib/launch.ts';
import { log } from './lib/log.ts';
import { assertNodeVersion } from './lib/node-version.ts';
import { optionsFromEnv } from './lib/options.ts';

/** `npm run dev`: the development server with hot reload, plus the embedded SFU. */
const appDir = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  assertNodeVersion(process.versions.node);
  return runUntilSignal(await launch(optionsFromEnv(appDir, 'dev')));
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log.error(error.message);
    process.exit(1);
  },
);
