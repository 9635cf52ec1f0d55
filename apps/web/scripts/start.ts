import { fileURLToPath } from 'node:url';
import { buildInputsDigest, buildIsFresh, recordBuildInputs } from './lib/build-freshness.ts';
import { checkPorts, launch, runUntilSignal } from './lib/launch.ts';
import { log } from './lib/log.ts';
import { runNext } from './lib/next.ts';
import { assertNodeVersion } from './lib/node-version.ts';
import { optionsFromEnv } from './lib/options.ts';

/** `npm start`: build if there is no build or the sources changed since, then serve the product. */
const appDir = fileURLToPath(new URL('..', import.meta.url));

async function main(): Promise<number> {
  assertNodeVersion(process.versions.node);
  const options = optionsFromEnv(appDir, 'start');
  // A taken port is reported before a build that could take minutes.
  await checkPorts(options);
  const digest = buildInputsDigest(appDir);
  if (!buildIsFresh(appDir, digest)) {
    log.info('no up-to-date build in .next: building the app first (takes a minute or two)');
    const code = await runNext(appDir, ['build'], process.env).exited;
    if (code !== 0) throw new Error(`next build failed with exit code ${code}; see the output above`);
    recordBuildInputs(appDir, digest);
  }
  return runUntilSignal(await launch(options));
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    log.error(error.message);
    process.exit(1);
  },
);
